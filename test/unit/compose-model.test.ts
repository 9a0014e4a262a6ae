import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getPath, isIP, loadExample, mergeNodes, parseComposeFile, parsePortSpec, parseVolumeSpec, resourceReferences, serviceReferences, toJS, type ComposeProject, type Location } from '../../server/src/compose';

function at(project: ComposeProject, location: Location): string {
  return project.files.get(location.file)!.parsed.text.slice(location.range.start, location.range.end);
}

describe('parsePortSpec (Docker\'s port syntax)', () => {
  it('reads every part of the short syntax', () => {
    assert.deepEqual(parsePortSpec('80'), { ok: true, mapping: { hostIp: '', host: undefined, container: { start: 80, end: 80 }, protocol: 'tcp' } });
    assert.deepEqual(parsePortSpec('8080:80/UDP'), { ok: true, mapping: { hostIp: '', host: { start: 8080, end: 8080 }, container: { start: 80, end: 80 }, protocol: 'udp' } });
    assert.deepEqual(parsePortSpec('127.0.0.1:8000-8002:80-82/sctp'), { ok: true, mapping: { hostIp: '127.0.0.1', host: { start: 8000, end: 8002 }, container: { start: 80, end: 82 }, protocol: 'sctp' } });
    assert.deepEqual(parsePortSpec('[::1]:8080:80'), { ok: true, mapping: { hostIp: '::1', host: { start: 8080, end: 8080 }, container: { start: 80, end: 80 }, protocol: 'tcp' } });
    assert.deepEqual(parsePortSpec('::1:8080:80').ok, true, 'an unbracketed IPv6 address works when a host port follows');
    assert.deepEqual(parsePortSpec('127.0.0.1::80'), { ok: true, mapping: { hostIp: '127.0.0.1', host: undefined, container: { start: 80, end: 80 }, protocol: 'tcp' } });
    assert.deepEqual(parsePortSpec('9000-9010:80').ok, true, 'a host range for one container port is allowed');
    assert.deepEqual(parsePortSpec('80/').ok, true);
  });

  it('rejects what Docker rejects', () => {
    for (const spec of ['', ':', 'http', '80:http', '65536', '-1:80', '80-70', '8080-8081:80-82', '80/http', '300.0.0.1:80:80', '[::1:80:80', 'a.b.c.d:80:80', '/tcp', '1.2.3:80:80']) {
      assert.equal(parsePortSpec(spec).ok, false, spec);
    }
  });

  it('knows IP addresses as Go parses them', () => {
    for (const ip of ['0.0.0.0', '192.168.1.10', '::', '::1', 'fe80::1', '2001:db8::8a2e:370:7334', '::ffff:10.0.0.1', '1:2:3:4:5:6:7:8']) assert.ok(isIP(ip), ip);
    for (const ip of ['256.1.1.1', '1.2.3', '1::2::3', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', 'localhost', '12345::']) assert.ok(!isIP(ip), ip);
  });
});

describe('parseVolumeSpec (compose\'s short volume syntax)', () => {
  it('tells named volumes, bind mounts and anonymous volumes apart', () => {
    assert.deepEqual(parseVolumeSpec('data:/var/lib/data'), { type: 'volume', source: 'data', target: '/var/lib/data', options: [] });
    assert.deepEqual(parseVolumeSpec('./conf:/etc/conf:ro,z'), { type: 'bind', source: './conf', target: '/etc/conf', options: ['ro', 'z'] });
    assert.deepEqual(parseVolumeSpec('~/cache:/cache'), { type: 'bind', source: '~/cache', target: '/cache', options: [] });
    assert.deepEqual(parseVolumeSpec('/var/run/docker.sock:/var/run/docker.sock'), { type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', options: [] });
    assert.deepEqual(parseVolumeSpec('/var/lib/anonymous'), { type: 'volume', source: '', target: '/var/lib/anonymous', options: [] });
    assert.deepEqual(parseVolumeSpec('C:\\data:/data'), { type: 'bind', source: 'C:\\data', target: '/data', options: [] });
    assert.deepEqual(parseVolumeSpec('\\\\server\\share:/share'), { type: 'bind', source: '\\\\server\\share', target: '/share', options: [] });
    assert.deepEqual(parseVolumeSpec('d:/data:/data:rw'), { type: 'bind', source: 'd:/data', target: '/data', options: ['rw'] });
  });

  it('reports malformed specs', () => {
    assert.deepEqual(parseVolumeSpec(''), { error: 'empty volume' });
    assert.deepEqual(parseVolumeSpec('data::/x'), { error: 'empty section between colons' });
    assert.deepEqual(parseVolumeSpec('data:/a:ro:extra'), { error: 'too many colons' });
    // As in compose, a one-letter first field is a drive letter: `a:b:c:d` is `a:b` mounted at `c:d`.
    assert.deepEqual(parseVolumeSpec('a:b:c:d'), { type: 'bind', source: 'a:b', target: 'c:d', options: [] });
    assert.deepEqual(parseVolumeSpec('data:/x:'), { error: 'empty section between colons' });
  });
});

describe('references', () => {
  it('lists every service reference with the range of the name', () => {
    const project = loadExample('services:\n  web:\n    image: x\n    depends_on:\n      db: {condition: service_healthy}\n    links: ["cache:redis"]\n    network_mode: "service:vpn"\n    volumes_from: ["data:ro", "container:c"]\n    build:\n      context: .\n      additional_contexts:\n        base: service:img\n  api:\n    extends: web\n    depends_on: [db]\n');
    assert.deepEqual(
      serviceReferences(project).map((reference) => [reference.kind, reference.from, reference.name, at(project, reference.location), reference.path]),
      [
        ['depends_on', 'web', 'db', 'db', 'services.web.depends_on'],
        ['links', 'web', 'cache', 'cache', 'services.web.links'],
        ['network_mode', 'web', 'vpn', 'vpn', 'services.web.network_mode'],
        ['volumes_from', 'web', 'data', 'data', 'services.web.volumes_from'],
        ['additional_contexts', 'web', 'img', 'img', 'services.web.build.additional_contexts'],
        ['depends_on', 'api', 'db', 'db', 'services.api.depends_on'],
        ['links', 'api', 'cache', 'cache', 'services.api.links'],
        ['network_mode', 'api', 'vpn', 'vpn', 'services.api.network_mode'],
        ['volumes_from', 'api', 'data', 'data', 'services.api.volumes_from'],
        ['additional_contexts', 'api', 'img', 'img', 'services.api.build.additional_contexts'],
        ['extends', 'api', 'web', 'web', 'services.api.extends'],
      ],
    );
  });

  it('lists resource references across files', () => {
    const project = loadExample({ files: { 'compose.yaml': 'services:\n  web:\n    image: x\n    networks: [front]\n    volumes: ["data:/d", "./here:/h"]\n', 'compose.override.yaml': 'services:\n  web:\n    secrets:\n      - source: token\n    networks: [back]\n' } });
    assert.deepEqual(resourceReferences(project, 'networks').map((reference) => [reference.name, reference.location.file, at(project, reference.location)]), [['front', '/project/compose.yaml', 'front'], ['back', '/project/compose.override.yaml', 'back']]);
    assert.deepEqual(resourceReferences(project, 'volumes').map((reference) => [reference.name, at(project, reference.location)]), [['data', 'data']]);
    assert.deepEqual(resourceReferences(project, 'secrets').map((reference) => [reference.name, at(project, reference.location)]), [['token', 'token']]);
  });
});

describe('mergeNodes (compose merge rules)', () => {
  const merge = (base: string, over: string) => {
    const a = parseComposeFile(base, 'a').documents[0]!.root!;
    const b = parseComposeFile(over, 'b').documents[0]!.root!;
    return toJS(mergeNodes(mergeNodes(undefined, a), b));
  };

  it('merges depends_on and networks from lists and mappings', () => {
    assert.deepEqual(merge('services:\n  s:\n    depends_on: [a]\n    networks: [n1]\n', 'services:\n  s:\n    depends_on:\n      b: {condition: service_healthy}\n    networks:\n      n2: {aliases: [x]}\n'), {
      services: { s: { depends_on: { a: null, b: { condition: 'service_healthy' } }, networks: { n1: null, n2: { aliases: ['x'] } } } },
    });
  });

  it('merges environment, labels and extra_hosts by key, lists included', () => {
    assert.deepEqual(merge('services:\n  s:\n    environment: ["A=1", "B=2"]\n    extra_hosts: ["db:10.0.0.1"]\n', 'services:\n  s:\n    environment: ["B=3"]\n    extra_hosts: ["db=10.0.0.2", "cache:10.0.0.3"]\n'), {
      services: { s: { environment: ['A=1', 'B=3'], extra_hosts: ['db=10.0.0.2', 'cache:10.0.0.3'] } },
    });
  });

  it('collapses secrets by mount target and volumes by container path', () => {
    assert.deepEqual(merge('services:\n  s:\n    secrets: [token]\n    volumes: ["one:/data", "two:/other"]\n', 'services:\n  s:\n    secrets:\n      - source: token\n        target: /run/secrets/token\n    volumes:\n      - type: bind\n        source: ./data\n        target: /data\n'), {
      services: { s: { secrets: [{ source: 'token', target: '/run/secrets/token' }], volumes: [{ type: 'bind', source: './data', target: '/data' }, 'two:/other'] } },
    });
  });

  it('replaces logging when the driver changes and merges its options otherwise', () => {
    assert.deepEqual(merge('services:\n  s:\n    logging: {driver: json-file, options: {max-size: 1m}}\n', 'services:\n  s:\n    logging: {driver: local}\n'), { services: { s: { logging: { driver: 'local' } } } });
    assert.deepEqual(merge('services:\n  s:\n    logging: {driver: json-file, options: {max-size: 1m}}\n', 'services:\n  s:\n    logging: {options: {max-file: "3"}}\n'), { services: { s: { logging: { driver: 'json-file', options: { 'max-size': '1m', 'max-file': '3' } } } } });
  });

  it('appends other lists and keeps a null over a mapping', () => {
    assert.deepEqual(merge('services:\n  s:\n    dns: [1.1.1.1]\n    cap_add: [NET_ADMIN]\n    deploy: {replicas: 2}\n', 'services:\n  s:\n    dns: [1.1.1.1, 8.8.8.8]\n    cap_add: [NET_ADMIN, SYS_TIME]\n    deploy:\n'), {
      services: { s: { dns: ['1.1.1.1', '8.8.8.8'], cap_add: ['NET_ADMIN', 'SYS_TIME'], deploy: { replicas: 2 } } },
    });
  });

  it('keeps where each merged value came from', () => {
    const a = parseComposeFile('services:\n  s:\n    image: one\n', 'a.yaml').documents[0]!.root!;
    const b = parseComposeFile('services:\n  s:\n    image: two\n    ports: ["1:1"]\n', 'b.yaml').documents[0]!.root!;
    const merged = mergeNodes(a, b)!;
    assert.equal(getPath(merged, 'services', 's', 'image')!.file, 'b.yaml');
    assert.equal(getPath(merged, 'services', 's')!.file, 'a.yaml');
  });
});
