import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engineProduct, type ApiVersion } from '../../runtime/src/engine/resources';

// `/version` answers as the engines give them, cut to the fields that tell them apart.
const debianDocker: ApiVersion = {
  Platform: { Name: '' },
  Components: [{ Name: 'Engine' }, { Name: 'containerd' }, { Name: 'runc' }, { Name: 'docker-init' }],
  Version: '20.10.24+dfsg1',
  ApiVersion: '1.41',
  Os: 'linux',
  Arch: 'amd64',
};
const dockerCe: ApiVersion = { ...debianDocker, Platform: { Name: 'Docker Engine - Community' }, Version: '24.0.7', ApiVersion: '1.43' };
const podman: ApiVersion = {
  Platform: { Name: 'linux/amd64/debian-12' },
  Components: [{ Name: 'Podman Engine' }, { Name: 'Conmon' }, { Name: 'OCI Runtime (runc)' }],
  Version: '4.3.1',
  ApiVersion: '1.41',
  Os: 'linux',
  Arch: 'amd64',
};

describe('which product an engine is', () => {
  it('tells Podman from Docker by the components /version lists', () => {
    assert.equal(engineProduct(podman), 'Podman');
    assert.equal(engineProduct(debianDocker), 'Docker');
    assert.equal(engineProduct(dockerCe), 'Docker');
  });

  it('reads the platform name too, and calls an engine that names nothing Docker', () => {
    assert.equal(engineProduct({ Version: '1.13.1', ApiVersion: '1.26', Os: 'linux', Arch: 'amd64' }), 'Docker');
    assert.equal(engineProduct({ ...debianDocker, Components: null, Platform: { Name: 'Podman Desktop' } }), 'Podman');
  });
});
