import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { imageReferenceProblem, isImageReference, splitRepositoryTag } from '../../server/src/dockerfile/imageReference';
import { prng } from '../support/fuzz';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('image references: typed into Pull Image and Tag Image, and named by FROM', () => {
  it('accepts what Docker accepts', () => {
    for (const reference of [
      'nginx',
      'nginx:1.27-alpine',
      'library/nginx:latest',
      'team/sub-team/app_v2',
      'my__app',
      'a--b.c_d',
      'registry.example.com/team/app:1.0',
      'registry.example.com:5000/app',
      'localhost:5000/app:dev',
      'localhost/app',
      'localhost:5000',
      '[::1]:5000/app',
      'Registry.Example.com/app',
      `nginx@${DIGEST}`,
      `nginx:1.27@${DIGEST}`,
      `nginx@sha512:${'ab'.repeat(64)}`,
      // A first component with capitals is a registry host to Docker (repository paths cannot have them).
      'Org/app',
      `ghcr.io/owner/app:${'t'.repeat(128)}`,
      '  nginx:1.27  ',
    ])
      assert.equal(imageReferenceProblem(reference), undefined, reference);
  });

  it('refuses what Docker refuses, saying what is wrong', () => {
    const cases: [string, RegExp][] = [
      ['', /an image reference is needed/],
      ['   ', /an image reference is needed/],
      ['nginx latest', /no spaces/],
      ['Nginx', /must be lowercase: "Nginx"/],
      ['team/MyApp:1', /must be lowercase: "MyApp"/],
      ['nginx:', /tag after ":" is empty/],
      ['nginx:.hidden', /tag ".hidden" may hold/],
      ['nginx:-x', /tag "-x"/],
      ['nginx:a+b', /tag "a\+b"/],
      [`nginx:${'t'.repeat(129)}`, /129 characters long; at most 128/],
      ['nginx@sha256:abc', /digest "sha256:abc": sha256 takes 64 hexadecimal digits, not 3/],
      [`nginx@md5:${'a'.repeat(64)}`, /digest "md5:.*md5 is not a digest algorithm Docker knows/],
      [`nginx@sha256:${'a'.repeat(40)}`, /sha256 takes 64 hexadecimal digits, not 40/],
      ['nginx:1.27:slim', /tag "1\.27:slim"|"nginx:1\.27" in the repository path/],
      ['a'.repeat(64), /is an image ID, not a reference/],
      [`nginx@sha256:${'A'.repeat(64)}`, /lowercase hexadecimal digits only/],
      ['team//app', /empty part/],
      ['team/app/', /empty part/],
      ['/app', /empty part/],
      ['app.', /"app\." in the repository path/],
      ['-app', /"-app" in the repository path/],
      ['a...b', /"a\.\.\.b"/],
      ['registry.example.com:port/app', /registry port "port" must be a number/],
      ['bad_host.com/app', /registry host "bad_host.com"/],
      ['-bad.com/app', /registry host "-bad.com"/],
      [`${'a'.repeat(256)}`, /256 characters long; at most 255/],
    ];
    for (const [reference, message] of cases) assert.match(imageReferenceProblem(reference) ?? 'accepted', message, reference);
  });

  it('answers the quick question (isImageReference) as the full reader does', () => {
    const random = prng(11);
    const pieces = ['a', 'b', 'Z', '0', '.', '_', '-', '/', ':', '@', '[', ']', 'sha256', 'md5', 'localhost', 'x.io', ':5000', `@${DIGEST}`, `@sha512:${'b'.repeat(128)}`, `sha256:${'c'.repeat(32)}`, '[::1]', 'Org', 'A'.repeat(30), 'f'.repeat(32)];
    for (let i = 0; i < 30_000; i++) {
      const reference = Array.from({ length: 1 + Math.floor(random() * 7) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      assert.equal(isImageReference(reference), imageReferenceProblem(reference) === undefined, reference);
    }
  });

  it('refuses a digest where only a repository and tag can be given (Tag Image)', () => {
    assert.match(imageReferenceProblem(`app@${DIGEST}`, { digest: false }) ?? 'accepted', /digest \(@…\) cannot be given here/);
    assert.equal(imageReferenceProblem('localhost:5000/app:v2', { digest: false }), undefined);
  });

  it('splits a tag off at the last colon after the last slash, never at a registry port', () => {
    assert.deepEqual(splitRepositoryTag('localhost:5000/app:v2'), { repository: 'localhost:5000/app', tag: 'v2' });
    assert.deepEqual(splitRepositoryTag('localhost:5000/app'), { repository: 'localhost:5000/app' });
    assert.deepEqual(splitRepositoryTag(' app '), { repository: 'app' });
  });
});
