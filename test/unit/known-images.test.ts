import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toKnownImages } from '../../client/src/knownImages';

describe('local images as the language server sees them', () => {
  it('groups tags by repository, keeping registry ports and image facts', () => {
    const known = toKnownImages([
      { id: 'sha256:a', repoTags: ['node:22', 'node:22-bookworm', 'localhost:5000/team/node:22'], size: 1000, created: '2026-01-01T00:00:00.000Z', exposedPorts: ['3000/tcp'], dangling: false, usedBy: [] },
      { id: 'sha256:b', repoTags: ['node:20'], size: 900, created: '2025-01-01T00:00:00.000Z', exposedPorts: [], dangling: false, usedBy: [] },
      { id: 'sha256:c', repoTags: ['localhost:5000/bare'], size: 1, created: '2025-01-01T00:00:00.000Z', exposedPorts: [], dangling: false, usedBy: [] },
    ]);
    assert.deepEqual(
      known.map((image) => [image.repository, image.tags, image.id]),
      [
        ['node', ['22', '22-bookworm'], 'sha256:a'],
        ['localhost:5000/team/node', ['22'], 'sha256:a'],
        ['node', ['20'], 'sha256:b'],
        ['localhost:5000/bare', ['latest'], 'sha256:c'],
      ],
    );
    assert.deepEqual(known[0]!.exposedPorts, ['3000/tcp']);
  });
});
