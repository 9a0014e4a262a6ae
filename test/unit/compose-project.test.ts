import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { get, getPair, getPath, loadComposeProject, memoryHost, toJS, type ComposeNode, type ComposeProject, type TextRange } from '../../server/src/compose';

function load(files: Record<string, string>, options: { main?: string[]; environment?: Record<string, string>; envFiles?: string[] } = {}): ComposeProject {
  const absolute = Object.fromEntries(Object.entries(files).map(([path, text]) => [`/p/${path}`, text]));
  return loadComposeProject({
    files: (options.main ?? ['compose.yaml', ...('compose.override.yaml' in files ? ['compose.override.yaml'] : [])]).map((path) => `/p/${path}`),
    host: memoryHost(absolute),
    environment: options.environment ?? {},
    ...(options.envFiles ? { envFiles: options.envFiles } : {}),
  });
}

function textAt(project: ComposeProject, node: { file: string; range: TextRange }): string {
  return project.files.get(node.file)!.parsed.text.slice(node.range.start, node.range.end);
}

const service = (project: ComposeProject, name: string): ComposeNode | undefined => getPath(project.model, 'services', name);

describe('loadComposeProject: several files', () => {
  it('merges compose.override.yaml over compose.yaml with compose\'s rules, keeping where each value came from', () => {
    const project = load({
      'compose.yaml': 'services:\n  web:\n    image: nginx:1.26\n    command: ["nginx", "-g", "daemon off;"]\n    ports: ["8080:80", "8443:443"]\n    expose: ["80"]\n    environment:\n      A: "1"\n      B: "2"\n    labels: ["x=1"]\n    depends_on: [db]\n    volumes: ["./html:/usr/share/nginx/html", "logs:/var/log"]\n    build: ./web\n  db:\n    image: postgres\nvolumes:\n  logs:\n',
      'compose.override.yaml': 'services:\n  web:\n    image: nginx:1.27\n    command: ["nginx-debug"]\n    ports: ["8080:80", "9000:9000"]\n    expose: ["80", "81"]\n    environment:\n      - B=3\n      - C=4\n    labels:\n      y: "2"\n    depends_on:\n      cache:\n        condition: service_started\n    volumes: ["./dev-html:/usr/share/nginx/html"]\n    build:\n      target: dev\n  cache:\n    image: redis\n',
    });
    const web = service(project, 'web')!;
    assert.equal(toJS(get(web, 'image')), 'nginx:1.27');
    assert.deepEqual(toJS(get(web, 'command')), ['nginx-debug'], 'command is replaced, not appended');
    assert.deepEqual(toJS(get(web, 'ports')), ['8080:80', '8443:443', '9000:9000'], 'ports are appended without duplicates');
    assert.deepEqual(toJS(get(web, 'expose')), ['80', '81']);
    assert.deepEqual(toJS(get(web, 'environment')), { A: '1', B: 'B=3', C: 'C=4' }, 'environment merges by variable');
    assert.deepEqual(Object.keys(toJS(get(web, 'depends_on')) as object), ['db', 'cache'], 'depends_on merges by service');
    assert.deepEqual(toJS(get(web, 'volumes')), ['./dev-html:/usr/share/nginx/html', 'logs:/var/log'], 'volumes merge by container path');
    assert.deepEqual(toJS(get(web, 'build')), { context: './web', target: 'dev' }, 'build: path is build: { context: path }');
    assert.deepEqual(toJS(getPath(service(project, 'cache'), 'image')), 'redis');
    // Origins: each value keeps its file and range.
    const image = get(web, 'image')!;
    assert.equal(image.file, '/p/compose.override.yaml');
    assert.equal(textAt(project, image), 'nginx:1.27');
    const ports = get(web, 'ports')!;
    assert.equal(ports.kind, 'seq');
    if (ports.kind === 'seq') assert.deepEqual(ports.items.map((item) => [item.file, textAt(project, item)]), [['/p/compose.override.yaml', '"8080:80"'], ['/p/compose.yaml', '"8443:443"'], ['/p/compose.override.yaml', '"9000:9000"']], 'a repeated entry takes the earlier one\'s place, as compose does');
    const webPair = getPair(get(project.model, 'services') as never, 'web')!;
    assert.equal(webPair.file, '/p/compose.yaml');
    assert.deepEqual(webPair.also?.map((also) => also.file), ['/p/compose.override.yaml']);
  });

  it('applies !reset and !override from later files', () => {
    const project = load({
      'compose.yaml': 'services:\n  web:\n    image: nginx\n    ports: ["8080:80"]\n    environment: {A: "1", B: "2"}\n    labels: {team: web}\n',
      'compose.override.yaml': 'services:\n  web:\n    ports: !override ["9090:80"]\n    environment: !reset {}\n    labels: !reset\n    networks: !reset []\n',
    });
    const web = service(project, 'web')!;
    assert.deepEqual(toJS(get(web, 'ports')), ['9090:80']);
    assert.equal(get(web, 'environment'), undefined);
    assert.equal(get(web, 'labels'), undefined);
    assert.equal(get(web, 'networks'), undefined);
    assert.equal(toJS(get(web, 'image')), 'nginx');
  });

  it('treats the YAML documents of one file as consecutive layers', () => {
    const project = load({ 'compose.yaml': 'services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n---\nservices:\n  web:\n    ports: !override ["81:80"]\n  db:\n    image: postgres\n' });
    assert.deepEqual(toJS(project.model), { services: { web: { image: 'nginx', ports: ['81:80'] }, db: { image: 'postgres' } } });
  });

  it('loads an explicit list of files in order', () => {
    const project = load({ 'a.yaml': 'services:\n  web:\n    image: one\n', 'b.yaml': 'services:\n  web:\n    image: two\n' }, { main: ['b.yaml', 'a.yaml'] });
    assert.equal(toJS(getPath(project.model, 'services', 'web', 'image')), 'one');
    assert.deepEqual(project.mainFiles, ['/p/b.yaml', '/p/a.yaml']);
  });
});

describe('loadComposeProject: interpolation environment', () => {
  it('reads .env beside the first file; the process environment wins', () => {
    const project = load({ 'compose.yaml': 'services:\n  web:\n    image: "nginx:${TAG}"\n    container_name: ${NAME}-${COMPOSE_PROJECT_NAME}\n', '.env': 'TAG=1.26\nNAME=from-dotenv\n' }, { environment: { TAG: '1.27' } });
    assert.equal(toJS(getPath(project.model, 'services', 'web', 'image')), 'nginx:1.27');
    assert.equal(toJS(getPath(project.model, 'services', 'web', 'container_name')), 'from-dotenv-p');
    assert.equal(project.environment.get('NAME'), 'from-dotenv');
  });

  it('uses --env-file style files instead of .env when given', () => {
    const project = load({ 'compose.yaml': 'services:\n  web:\n    image: "nginx:${TAG}"\n', '.env': 'TAG=dotenv\n', 'prod.env': 'TAG=prod\n' }, { envFiles: ['prod.env'] });
    assert.equal(toJS(getPath(project.model, 'services', 'web', 'image')), 'nginx:prod');
  });

  it('never uses a service env_file for interpolation', () => {
    const project = load({ 'compose.yaml': 'services:\n  web:\n    image: "nginx:${TAG:-default}"\n    env_file: web.env\n', 'web.env': 'TAG=from-env-file\n' });
    assert.equal(toJS(getPath(project.model, 'services', 'web', 'image')), 'nginx:default');
  });

  it('takes the project name from name:, else from the directory, normalised', () => {
    assert.equal(load({ 'compose.yaml': 'name: My_Shop!\nservices: {}\n' }).name, 'my_shop');
    assert.equal(load({ 'compose.yaml': 'name: ${PROJECT:-fallback}\n' }).name, 'fallback');
    assert.equal(load({ 'compose.yaml': 'services: {}\n' }).name, 'p');
  });

  it('interpolates each load with its own environment, .env and name, one load after another', () => {
    const files = (dotenv: string, name: string) => ({ '/p/compose.yaml': `name: ${name}\nservices:\n  web:\n    image: "nginx:\${TAG}"\n    container_name: \${COMPOSE_PROJECT_NAME}\n`, '/p/.env': dotenv });
    const loadWith = (environment: ReadonlyMap<string, string> | Record<string, string>, dotenv: string, name: string) => {
      const project = loadComposeProject({ files: ['/p/compose.yaml'], host: memoryHost(files(dotenv, name)), environment });
      return [toJS(getPath(project.model, 'services', 'web', 'image')), toJS(getPath(project.model, 'services', 'web', 'container_name'))];
    };
    const environment = new Map([['OTHER', '1']]);
    assert.deepEqual(loadWith(environment, 'TAG=1.26\n', 'shop'), ['nginx:1.26', 'shop']);
    assert.deepEqual(loadWith(environment, 'TAG=1.26\n', 'shop'), ['nginx:1.26', 'shop'], 'the same inputs again');
    assert.deepEqual(loadWith(environment, 'TAG=1.27\n', 'shop'), ['nginx:1.27', 'shop'], '.env changed');
    assert.deepEqual(loadWith(environment, 'TAG=1.27\n', 'store'), ['nginx:1.27', 'store'], 'name changed');
    assert.deepEqual(loadWith(new Map([['TAG', '2.0']]), 'TAG=1.27\n', 'store'), ['nginx:2.0', 'store'], 'another environment');
    assert.deepEqual(loadWith({ TAG: '3.0' }, 'TAG=1.27\n', 'store'), ['nginx:3.0', 'store'], 'a record');
    assert.deepEqual(loadWith(environment, 'TAG=1.27\n', 'store'), ['nginx:1.27', 'store'], 'the first environment again');
  });
});

describe('loadComposeProject: include', () => {
  it('imports the included services, resolving their paths and interpolating with their own .env', () => {
    const project = load({
      'compose.yaml': 'include:\n  - db/compose.yaml\n  - path: ./cache/compose.yaml\n    env_file: ./cache/cache.env\nservices:\n  web:\n    image: nginx\n    depends_on: [db, redis]\n',
      'db/compose.yaml': 'services:\n  db:\n    image: "postgres:${PG}"\n    build: ./image\n',
      'db/.env': 'PG=16\n',
      'cache/compose.yaml': 'services:\n  redis:\n    image: "redis:${REDIS}"\n',
      'cache/cache.env': 'REDIS=7\n',
    });
    assert.equal(toJS(getPath(project.model, 'services', 'db', 'image')), 'postgres:16');
    assert.equal(toJS(getPath(project.model, 'services', 'redis', 'image')), 'redis:7');
    assert.equal(get(project.model, 'include'), undefined);
    const build = getPath(project.model, 'services', 'db', 'build')!;
    assert.equal(build.file, '/p/db/compose.yaml');
    assert.equal(project.resolvePath(build.file, './image'), '/p/db/image');
    assert.deepEqual(project.includes.map((record) => [record.path, record.found]), [['/p/db/compose.yaml', true], ['/p/cache/compose.yaml', true]]);
    assert.equal(project.files.get('/p/db/compose.yaml')!.role, 'include');
  });

  it('lets the including file\'s environment win over the included project\'s .env', () => {
    const project = load({ 'compose.yaml': 'include: [sub/compose.yaml]\n', 'sub/compose.yaml': 'services:\n  a:\n    image: "x:${V}"\n', 'sub/.env': 'V=sub\n', '.env': 'V=top\n' });
    assert.equal(toJS(getPath(project.model, 'services', 'a', 'image')), 'x:top');
  });

  it('merges the including file\'s definition of an included service over it', () => {
    const project = load({ 'compose.yaml': 'include: [sub.yaml]\nservices:\n  a:\n    ports: ["80:80"]\n', 'sub.yaml': 'services:\n  a:\n    image: x\n    ports: ["81:81"]\n' });
    assert.deepEqual(toJS(getPath(project.model, 'services', 'a')), { image: 'x', ports: ['81:81', '80:80'] });
  });

  it('records missing files and stops at cycles', () => {
    const project = load({ 'compose.yaml': 'include:\n  - missing.yaml\n  - loop.yaml\n', 'loop.yaml': 'include: [compose.yaml]\nservices:\n  a:\n    image: x\n' });
    assert.deepEqual(
      project.includes.map((record) => [record.file, record.path, record.found, record.cycle]),
      [
        ['/p/compose.yaml', '/p/missing.yaml', false, false],
        ['/p/compose.yaml', '/p/loop.yaml', true, false],
        ['/p/loop.yaml', '/p/compose.yaml', true, true],
      ],
    );
  });
});

describe('loadComposeProject: extends', () => {
  it('merges the base service under the extending one, in the same file and from another file', () => {
    const project = load({
      'compose.yaml': 'services:\n  base:\n    image: app\n    environment: {A: "1"}\n    ports: ["80:80"]\n  web:\n    extends: base\n    environment: {B: "2"}\n  worker:\n    extends:\n      file: shared/common.yaml\n      service: job\n    command: work\n',
      'shared/common.yaml': 'services:\n  job:\n    image: jobs\n    build: ./jobs\n    command: idle\n',
    });
    assert.deepEqual(toJS(service(project, 'web')), { image: 'app', environment: { A: '1', B: '2' }, ports: ['80:80'] });
    assert.deepEqual(toJS(service(project, 'worker')), { image: 'jobs', build: './jobs', command: 'work' });
    const build = getPath(project.model, 'services', 'worker', 'build')!;
    assert.equal(build.file, '/p/shared/common.yaml');
    assert.equal(project.resolvePath(build.file, './jobs'), '/p/shared/jobs', 'paths of an extended file resolve against its directory');
    assert.deepEqual(project.extends.map((record) => [record.service, record.base, record.problem]), [['web', 'base', undefined], ['worker', 'job', undefined]]);
  });

  it('lets !reset in the extending service remove inherited values', () => {
    const project = load({ 'compose.yaml': 'services:\n  base:\n    image: app\n    ports: ["80:80"]\n  web:\n    extends: base\n    ports: !reset []\n' });
    assert.deepEqual(toJS(service(project, 'web')), { image: 'app' });
  });

  it('resolves chains and stops at cycles', () => {
    const project = load({ 'compose.yaml': 'services:\n  a:\n    extends: b\n    image: a\n  b:\n    extends: c\n    ports: ["1:1"]\n  c:\n    extends: a\n    environment: {C: "1"}\n' });
    assert.ok(project.extends.some((record) => record.problem === 'cycle'));
    assert.equal(toJS(getPath(service(project, 'a'), 'image')), 'a');
  });

  it('records missing files and services', () => {
    const project = load({ 'compose.yaml': 'services:\n  a:\n    extends: nope\n  b:\n    extends: {file: gone.yaml, service: x}\n  c:\n    extends: {file: other.yaml, service: y}\n', 'other.yaml': 'services:\n  z:\n    image: z\n' });
    assert.deepEqual(
      project.extends.map((record) => [record.service, record.problem]),
      [['a', 'service-missing'], ['b', 'file-missing'], ['c', 'service-missing']],
    );
  });
});

describe('loadComposeProject: robustness', () => {
  it('survives unreadable files, a throwing host and non-mapping documents', () => {
    const project = loadComposeProject({
      files: ['/p/compose.yaml', '/p/missing.yaml'],
      host: {
        readFile: (path) => {
          if (path === '/p/compose.yaml') return '- just\n- a list\n';
          throw new Error('EACCES');
        },
      },
    });
    assert.deepEqual(project.model.pairs, []);
    const empty = loadComposeProject({ files: [], host: { readFile: () => undefined } });
    assert.deepEqual(empty.model.pairs, []);
  });

  it('resolves Windows paths with Windows rules', () => {
    const project = loadComposeProject({ files: ['C:\\app\\compose.yaml'], host: memoryHost({ 'C:\\app\\compose.yaml': 'services:\n  web:\n    build: .\\web\n' }) });
    assert.equal(project.projectDirectory, 'C:\\app');
    assert.equal(project.resolvePath('C:\\app\\compose.yaml', '.\\web'), 'C:\\app\\web');
  });
});
