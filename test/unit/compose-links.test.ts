import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../../server/src/service/languageService';

const lines = (...text: string[]) => text.join('\n') + '\n';

/** Each link of /p/compose.yaml as `linked text -> target`; `files` are the regular files of the project, `folders` its directories. */
function linksOf(text: string, files: Record<string, string> = {}, folders: string[] = [], uri = 'file:///p/compose.yaml'): string[] {
  const service = getLanguageService({ files: { readFile: (path) => files[path], exists: (path) => path in files || folders.includes(path) }, environment: {} });
  const document = TextDocument.create(uri, 'dockercompose', 1, text);
  // As the LSP server does: links go to regular files only.
  return service.documentLinks(document, (path) => path in files).map((link) => `${document.getText(link.range)} -> ${link.target}`);
}

describe('compose document links', () => {
  it('links a build context to the Dockerfile the build uses, and dockerfile: to that file', () => {
    const files = { '/p/web/Dockerfile': 'FROM nginx\n', '/p/api/Dockerfile.prod': 'FROM node\n' };
    const text = lines('services:', '  web:', '    build: ./web', '  api:', '    build:', '      context: api', '      dockerfile: Dockerfile.prod', '  worker:', '    build: ./worker');
    assert.deepEqual(linksOf(text, files, ['/p/web', '/p/api', '/p/worker']), [
      './web -> file:///p/web/Dockerfile',
      'api -> file:///p/api/Dockerfile.prod',
      'Dockerfile.prod -> file:///p/api/Dockerfile.prod',
    ]);
  });

  it('links env files, includes, extends files and the files of secrets and configs that exist', () => {
    const files = { '/p/web.env': 'A=1\n', '/p/infra/compose.yaml': 'services: {}\n', '/p/base.yaml': 'services:\n  base: {image: x}\n', '/p/secrets/token.txt': 't', '/p/app.conf': 'c' };
    const text = lines(
      'include:',
      '  - infra/compose.yaml',
      '  - path: missing.yaml',
      'services:',
      '  web:',
      '    image: busybox',
      '    env_file:',
      '      - web.env',
      '      - path: absent.env',
      '        required: false',
      '    extends:',
      '      file: base.yaml',
      '      service: base',
      'secrets:',
      '  token:',
      '    file: ./secrets/token.txt',
      'configs:',
      '  app:',
      '    file: app.conf',
    );
    assert.deepEqual(linksOf(text, files), [
      'infra/compose.yaml -> file:///p/infra/compose.yaml',
      'busybox -> https://hub.docker.com/_/busybox',
      'web.env -> file:///p/web.env',
      'base.yaml -> file:///p/base.yaml',
      './secrets/token.txt -> file:///p/secrets/token.txt',
      'app.conf -> file:///p/app.conf',
    ]);
  });

  it('links the host side of bind mounts that are files, never named volumes or folders', () => {
    const files = { '/p/nginx.conf': 'events {}\n', '/p/certs/site.pem': 'pem' };
    const text = lines(
      'services:',
      '  web:',
      '    volumes:',
      '      - ./nginx.conf:/etc/nginx/nginx.conf:ro',
      '      - ./html:/usr/share/nginx/html',
      '      - cache:/var/cache',
      '      - type: bind',
      '        source: certs/site.pem',
      '        target: /etc/ssl/site.pem',
    );
    assert.deepEqual(linksOf(text, files, ['/p/html']), ['./nginx.conf -> file:///p/nginx.conf', 'certs/site.pem -> file:///p/certs/site.pem']);
  });

  it('links images to their registry pages, without tag or digest, and not when a variable is in the name', () => {
    const text = lines('services:', '  a:', '    image: ghcr.io/org/api:2.0', '  b:', '    image: "bitnami/redis@sha256:0123"', '  c:', '    image: ${REGISTRY}/app:1', '  d:', '    image: registry.internal:5000/app');
    assert.deepEqual(linksOf(text), ['ghcr.io/org/api -> https://ghcr.io/org/api', 'bitnami/redis -> https://hub.docker.com/r/bitnami/redis']);
  });

  it('resolves paths after interpolation', () => {
    const files = { '/p/.env': 'ENV_NAME=staging\n', '/p/staging.env': 'A=1\n' };
    assert.deepEqual(linksOf(lines('services:', '  web:', '    image: x', '    env_file: ${ENV_NAME:-dev}.env'), files), ['x -> https://hub.docker.com/_/x', '${ENV_NAME:-dev}.env -> file:///p/staging.env']);
  });

  it('gives an unsaved document only registry links', () => {
    assert.deepEqual(linksOf(lines('services:', '  web:', '    image: nginx', '    env_file: web.env'), { '/p/web.env': '' }, [], 'untitled:Untitled-1'), ['nginx -> https://hub.docker.com/_/nginx']);
  });
});
