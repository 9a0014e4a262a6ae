// What the daemon puts on the wire without an engine: binary stream frames and
// the cached serialization of a model's lists.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EngineModel } from '../../runtime/src/model/engineModel';
import { decodeStreamFrame, encodeStreamFrame } from '../../runtime/src/protocol/streamFrames';
import { OutputRing } from '../../runtime/src/streams/ring';
import type { ContainerSummary } from '../../runtime/src/protocol/types';

const container = (id: string, state = 'exited'): ContainerSummary => ({
  id,
  name: `c-${id}`,
  image: 'busybox',
  imageId: 'sha256:1',
  command: 'true',
  state,
  status: state,
  created: '2026-01-01T00:00:00Z',
  ports: [],
  labels: {},
  mounts: [],
  networks: [],
});

describe('binary stream frames', () => {
  const everyByte = Buffer.from(Array.from({ length: 256 }, (_, byte) => byte));

  it('carry the stream id, the channel and every byte value unchanged', () => {
    const frame = encodeStreamFrame('3f2a-stream', 'stderr', everyByte);
    assert.deepEqual([...frame.subarray(0, 3)], [1, 2, 11], 'type, channel, id length');
    const decoded = decodeStreamFrame(frame)!;
    assert.equal(decoded.streamId, '3f2a-stream');
    assert.equal(decoded.channel, 'stderr');
    assert.deepEqual(decoded.data, everyByte);
    assert.equal(decodeStreamFrame(encodeStreamFrame('s', 'stdout', Buffer.from('x')))!.channel, 'stdout');
  });

  it('join several pieces into one frame in order', () => {
    const decoded = decodeStreamFrame(encodeStreamFrame('id', 'stdout', [Buffer.from('ab'), Buffer.alloc(0), Buffer.from('\u00e9\n')]))!;
    assert.equal(decoded.data.toString('utf8'), 'ab\u00e9\n');
  });

  it('refuse what is not a stream frame, and ids that do not fit', () => {
    assert.equal(decodeStreamFrame(Buffer.from([2, 1, 1, 65, 66])), undefined, 'unknown frame type');
    assert.equal(decodeStreamFrame(Buffer.from([1, 3, 1, 65, 66])), undefined, 'unknown channel');
    assert.equal(decodeStreamFrame(Buffer.from([1, 1, 9, 65, 66])), undefined, 'id longer than the frame');
    assert.equal(decodeStreamFrame(Buffer.from([1, 1, 0, 65])), undefined, 'empty id');
    assert.throws(() => encodeStreamFrame('x'.repeat(256), 'stdout', everyByte), /does not fit/);
  });
});

describe('replay ring', () => {
  it('keeps exactly the last bytes, by channel, however pushes wrap around it', () => {
    // Checked against the plainest model of it: every byte kept, then the last `limit` taken.
    let seed = 7;
    const random = (below: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % below;
    for (let trial = 0; trial < 500; trial++) {
      const limit = 1 + random(40);
      const ring = new OutputRing(limit);
      let kept: { channel: 'stdout' | 'stderr'; byte: number }[] = [];
      let dropped = false;
      for (let push = 0; push < 30; push++) {
        const channel: 'stdout' | 'stderr' = random(2) ? 'stdout' : 'stderr';
        const data = Buffer.from(Array.from({ length: random(50) }, () => random(256)));
        ring.push(channel, data);
        kept.push(...[...data].map((byte) => ({ channel, byte })));
        if (kept.length > limit) {
          kept = kept.slice(kept.length - limit);
          dropped = true;
        }
        const expected: { channel: string; data: number[] }[] = [];
        for (const { channel: where, byte } of kept) {
          const last = expected[expected.length - 1];
          if (last?.channel === where) last.data.push(byte);
          else expected.push({ channel: where, data: [byte] });
        }
        const context = `limit ${limit}, push ${push} of trial ${trial}`;
        assert.deepEqual(ring.contents().map((chunk) => ({ channel: chunk.channel, data: [...chunk.data] })), expected, context);
        assert.equal(ring.bytes, kept.length, context);
        assert.equal(ring.truncated, dropped, context);
      }
    }
  });
});

describe('model list serialization', () => {
  it('is the JSON of the list, and the same bytes while nothing changes', () => {
    const model = new EngineModel('docker');
    model.replace('container', [container('a'), container('b')]);
    const first = model.listJson('container');
    assert.deepEqual(JSON.parse(first.toString()), model.list('container'));
    assert.equal(model.listJson('container'), first, 'served again without encoding');
    assert.equal(model.set('container', 'a', container('a')), undefined, 'an identical re-read is no change');
    assert.equal(model.listJson('container'), first);
  });

  it('follows every kind of change: added, updated, removed, replaced, cleared', () => {
    const model = new EngineModel('docker');
    const listed = () => (JSON.parse(model.listJson('container').toString()) as ContainerSummary[]).map((item) => `${item.id}:${item.state}`);
    model.replace('container', [container('a')]);
    assert.deepEqual(listed(), ['a:exited']);
    model.set('container', 'b', container('b', 'running'));
    assert.deepEqual(listed(), ['a:exited', 'b:running']);
    model.set('container', 'a', container('a', 'running'));
    assert.deepEqual(listed(), ['a:running', 'b:running']);
    model.set('container', 'b', undefined);
    assert.deepEqual(listed(), ['a:running']);
    model.replace('container', [container('c')]);
    assert.deepEqual(listed(), ['c:exited']);
    model.clear();
    assert.deepEqual(listed(), []);
  });

  it('keeps each kind apart', () => {
    const model = new EngineModel('docker');
    model.replace('container', [container('a')]);
    const containers = model.listJson('container');
    model.replace('volume', [{ id: 'v', name: 'v', driver: 'local', mountpoint: '/v', created: '', labels: {}, usedBy: [] } as never]);
    assert.equal(model.listJson('container'), containers, 'a volume change leaves the container list alone');
    assert.equal(JSON.parse(model.listJson('volume').toString()).length, 1);
  });
});
