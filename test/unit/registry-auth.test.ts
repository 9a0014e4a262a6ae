import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialsFor, registryAuthHeader, registryOf } from '../../runtime/src/operations/registryAuth';

/** A DOCKER_CONFIG folder with this config.json, and a bin folder holding a fake credential helper. */
function setup(config: object): { env: NodeJS.ProcessEnv; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'berth-auth-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  // Answers for the registry it reads on stdin, and records what it was asked.
  writeFileSync(
    join(dir, 'docker-credential-fake'),
    `#!/bin/sh\nread server\necho "$1 $server" >> "${dir}/asked"\ncase "$server" in\n  registry.example.com) echo '{"ServerURL":"registry.example.com","Username":"<token>","Secret":"tok-123"}' ;;\n  https://index.docker.io/v1/) echo '{"ServerURL":"hub","Username":"hubuser","Secret":"hubpass"}' ;;\n  *) echo 'credentials not found in native keychain'; exit 1 ;;\nesac\n`,
  );
  chmodSync(join(dir, 'docker-credential-fake'), 0o755);
  return { env: { DOCKER_CONFIG: dir, PATH: `${dir}:/usr/bin:/bin` }, dir };
}

describe('registry credentials for pull and push', () => {
  it('keys credentials by registry as the docker CLI does', () => {
    assert.equal(registryOf('busybox'), 'https://index.docker.io/v1/');
    assert.equal(registryOf('library/busybox'), 'https://index.docker.io/v1/');
    assert.equal(registryOf('ghcr.io/owner/app'), 'ghcr.io');
    assert.equal(registryOf('localhost:5000/app'), 'localhost:5000');
  });

  it('asks the credential store, per-registry helpers first, and sends identity tokens as such', async () => {
    const { env, dir } = setup({ credsStore: 'fake', credHelpers: { 'registry.example.com': 'fake' } });
    try {
      assert.deepEqual(await credentialsFor('registry.example.com/team/app', env), { identitytoken: 'tok-123', serveraddress: 'registry.example.com' });
      assert.deepEqual(await credentialsFor('busybox', env), { username: 'hubuser', password: 'hubpass', serveraddress: 'https://index.docker.io/v1/' });
      // Not found in the store: anonymous, and the header is an empty object.
      assert.equal(await credentialsFor('other.example.org/app', env), undefined);
      assert.equal(Buffer.from(await registryAuthHeader('other.example.org/app', env), 'base64url').toString('utf8'), '{}');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('falls back to stored auths, and to anonymous without a config', async () => {
    const { env, dir } = setup({ auths: { 'ghcr.io': { auth: Buffer.from('me:s3cr:et').toString('base64') } } });
    try {
      const encoded = await registryAuthHeader('ghcr.io/me/app', env);
      // dockerd decodes with Go's padded URL alphabet: unpadded, the credentials would be dropped.
      assert.match(encoded, /^[A-Za-z0-9_-]*={0,2}$/);
      assert.equal(encoded.length % 4, 0, 'the header is padded');
      const header = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
      assert.deepEqual(header, { username: 'me', password: 's3cr:et', serveraddress: 'ghcr.io' });
      assert.equal(await credentialsFor('ghcr.io/me/app', { DOCKER_CONFIG: join(dir, 'missing') }), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
