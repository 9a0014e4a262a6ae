import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { composeFileMatcher, isComposeFileName, matchesGlob, projectFilesFor } from '../../server/src/compose';

describe('isComposeFileName', () => {
  it('knows the names compose uses and their usual variants', () => {
    for (const name of ['compose.yaml', 'compose.yml', 'compose.override.yaml', 'compose.prod.yml', 'compose.ci.test.yaml', 'docker-compose.yml', 'docker-compose.yaml', 'docker-compose.override.yml', 'docker-compose-dev.yaml', 'docker-compose.staging.yml']) {
      assert.equal(isComposeFileName(name), true, name);
      assert.equal(isComposeFileName(`/work/app/${name}`), true, `/work/app/${name}`);
      assert.equal(isComposeFileName(`C:\\work\\app\\${name}`), true, `windows ${name}`);
      assert.equal(isComposeFileName(`file:///work/app/${name}`), true, `uri ${name}`);
    }
  });

  it('rejects other YAML and look-alikes', () => {
    for (const name of ['compose.json', 'compose.yaml.bak', 'compose..yaml', 'mycompose.yaml', 'docker-compose', 'docker-compose.json', 'Compose.yaml', 'compose.yaml/readme.md', 'values.yaml', 'compose-dev.yaml', '.github/workflows/ci.yml']) {
      assert.equal(isComposeFileName(name), false, name);
    }
  });
});

describe('globs from berth.compose.files', () => {
  it('match file names when the glob has no slash', () => {
    assert.ok(matchesGlob('/w/app/stack.yml', 'stack.yml'));
    assert.ok(matchesGlob('/w/app/stack-prod.yml', 'stack-*.yml'));
    assert.ok(matchesGlob('/w/app/stack.yaml', '*.{yml,yaml}'));
    assert.ok(!matchesGlob('/w/app/stack.json', '*.{yml,yaml}'));
    assert.ok(matchesGlob('/w/app/a1.yml', 'a?.yml'));
    assert.ok(matchesGlob('/w/app/ab.yml', 'a[a-c].yml'));
    assert.ok(!matchesGlob('/w/app/ad.yml', 'a[a-c].yml'));
    assert.ok(matchesGlob('/w/app/ad.yml', 'a[!a-c].yml'));
  });

  it('match paths at a segment boundary when the glob has a slash', () => {
    assert.ok(matchesGlob('/w/app/deploy/web.yml', 'deploy/*.yml'));
    assert.ok(matchesGlob('/w/app/deploy/web.yml', '**/deploy/*.yml'));
    assert.ok(matchesGlob('/w/app/deploy/prod/web.yml', 'deploy/**/*.yml'));
    assert.ok(matchesGlob('/w/app/deploy/web.yml', 'deploy/**/*.yml'));
    assert.ok(!matchesGlob('/w/app/redeploy/web.yml', 'deploy/*.yml'));
    assert.ok(!matchesGlob('/w/app/deploy/prod/web.yml', 'deploy/*.yml'));
    assert.ok(matchesGlob('C:\\w\\app\\deploy\\web.yml', 'deploy/*.yml'));
    assert.ok(matchesGlob('/w/app/deploy/web.yml', '/w/app/deploy/*.yml'));
    assert.ok(!matchesGlob('/x/w/app/deploy/web.yml', '/w/app/deploy/*.yml'));
  });

  it('combine with the standard names and ignore empty or malformed globs', () => {
    const isCompose = composeFileMatcher(['stacks/*.yml', '', '  ', '[unclosed']);
    assert.ok(isCompose('/w/compose.yaml'));
    assert.ok(isCompose('/w/stacks/web.yml'));
    assert.ok(!isCompose('/w/other/web.yml'));
    assert.ok(!isCompose('/w/unclosed'));
    assert.ok(isCompose('/w/[unclosed'), 'an unclosed bracket is a literal character');
  });
});

describe('projectFilesFor', () => {
  const existing = (paths: string[]) => (path: string) => paths.includes(path);

  it('adds the override file beside a default compose file', () => {
    assert.deepEqual(projectFilesFor('/w/compose.yaml', existing(['/w/compose.yaml', '/w/compose.override.yaml'])), ['/w/compose.yaml', '/w/compose.override.yaml']);
    assert.deepEqual(projectFilesFor('/w/docker-compose.yml', existing(['/w/docker-compose.yml', '/w/docker-compose.override.yml'])), ['/w/docker-compose.yml', '/w/docker-compose.override.yml']);
    assert.deepEqual(projectFilesFor('/w/compose.yaml', existing(['/w/compose.yaml'])), ['/w/compose.yaml']);
  });

  it('finds the main file for an override file, in compose order', () => {
    assert.deepEqual(projectFilesFor('/w/compose.override.yaml', existing(['/w/docker-compose.yml', '/w/compose.yml', '/w/compose.override.yaml'])), ['/w/compose.yml', '/w/compose.override.yaml']);
    assert.deepEqual(projectFilesFor('/w/compose.override.yaml', existing([])), ['/w/compose.override.yaml']);
  });

  it('takes other names as projects of their own', () => {
    assert.deepEqual(projectFilesFor('/w/compose.prod.yaml', existing(['/w/compose.yaml', '/w/compose.override.yaml'])), ['/w/compose.prod.yaml']);
  });

  it('survives a throwing exists', () => {
    assert.deepEqual(
      projectFilesFor('/w/compose.yaml', () => {
        throw new Error('EACCES');
      }),
      ['/w/compose.yaml'],
    );
  });
});
