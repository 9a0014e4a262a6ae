import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { composeServiceLines } from '../../client/src/compose/serviceLines';

describe('compose CodeLens: service key lines', () => {
  it('finds each service under the top-level services key', () => {
    const text = ['name: shop', 'services:', '  web:', '    image: nginx', '    ports:', '      - "80:80"', '', '  # the database', '  db:', '    image: postgres', 'volumes:', '  data: {}'].join('\n');
    assert.deepEqual(composeServiceLines(text), {
      servicesLine: 1,
      services: [
        { name: 'web', line: 2 },
        { name: 'db', line: 8 },
      ],
    });
  });

  it('reads quoted keys and any indentation width', () => {
    const text = 'services:\n    "api-v2":\n        image: x\n    \'worker\' :\n        command: |\n          db:\n            not a service\n    cache:\n        image: redis\n';
    assert.deepEqual(
      composeServiceLines(text).services.map((service) => service.name),
      ['api-v2', 'worker', 'cache'],
    );
  });

  it('ignores keys nested in a service, and a block scalar that looks like keys', () => {
    const text = 'x-common: &common\n  restart: always\nservices:\n  app:\n    <<: *common\n    environment:\n      db: here\n    entrypoint: >\n      fake:\n        more text\n  real:\n    image: x\n';
    const { services } = composeServiceLines(text);
    assert.deepEqual(services.map((service) => service.name), ['app', 'real']);
  });

  it('finds nothing in a file without services, or with flow-style services', () => {
    assert.deepEqual(composeServiceLines('version: "3"\nvolumes:\n  a:\n'), { services: [] });
    assert.deepEqual(composeServiceLines('services: {web: {image: x}}\n'), { servicesLine: 0, services: [] });
  });
});
