import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findHadolintConfig } from '../../server/src/config/configFiles';
import { applyHadolintConfig, parseHadolintConfig } from '../../server/src/config/hadolintConfig';
import { DEFAULT_LINT_SETTINGS } from '../../server/src/rules/settings';

describe('.hadolint.yaml', () => {
  it('reads every key hadolint documents', () => {
    const { config, problems } = parseHadolintConfig(`
ignored: [DL3008, SC2086]
override:
  error: [DL3007]
  style: [DL3059]
failure-threshold: warning
trustedRegistries:
  - docker.io
  - my.registry:5000
label-schema:
  author: text
  url: url
strict-labels: true
disable-ignore-pragma: true
`);
    assert.deepEqual(problems, []);
    const settings = applyHadolintConfig(DEFAULT_LINT_SETTINGS, config);
    assert.deepEqual([...settings.ignored], ['DL3008', 'SC2086']);
    assert.deepEqual([...settings.severityOverrides], [['DL3007', 'error'], ['DL3059', 'style']]);
    assert.equal(config.failureThreshold, 'warning');
    assert.deepEqual(settings.trustedRegistries, ['docker.io', 'my.registry:5000']);
    assert.deepEqual([...settings.labelSchema], [['author', 'text'], ['url', 'url']]);
    assert.equal(settings.strictLabels, true);
    assert.equal(settings.disableIgnorePragma, true);
  });

  it('reports each broken key with its range, and keeps what is valid', () => {
    const text = 'ignored: DL3008\noverride:\n  fatal: [DL3007]\nfailure-threshold: loud\nignord: [x]\ntrustedRegistries: [docker.io]\n';
    const { config, problems } = parseHadolintConfig(text);
    const described = problems.map((problem) => [problem.severity, problem.message, text.slice(problem.range.start, problem.range.end).trim()]);
    assert.deepEqual(described, [
      ['error', 'ignored must be a list of strings', 'DL3008'],
      ['error', 'override: unknown severity "fatal" (expected error, warning, info, style)', 'fatal'],
      ['error', 'failure-threshold must be one of error, warning, info, style, none', 'loud'],
      ['warning', 'unknown key "ignord" in hadolint config', 'ignord'],
    ]);
    assert.deepEqual(config.trustedRegistries, ['docker.io']);
  });

  it('reports YAML syntax errors instead of throwing', () => {
    const { problems } = parseHadolintConfig('ignored: [DL3008\n');
    assert.equal(problems.length > 0, true);
    assert.match(problems[0]!.message, /^YAML: /);
  });

  it('treats an empty file as no settings', () => {
    assert.deepEqual(parseHadolintConfig(''), { config: {}, problems: [] });
  });

  it('is found upward from the Dockerfile, nearest first, .yaml before .yml', () => {
    const root = mkdtempSync(join(tmpdir(), 'berth-config-'));
    mkdirSync(join(root, 'services/api'), { recursive: true });
    writeFileSync(join(root, '.hadolint.yml'), 'ignored: []\n');
    writeFileSync(join(root, 'services/.hadolint.yaml'), 'ignored: []\n');
    const options = { cwd: root, env: { XDG_CONFIG_HOME: join(root, 'none') } };
    assert.equal(findHadolintConfig(join(root, 'services/api/Dockerfile'), options), join(root, 'services/.hadolint.yaml'));
    assert.equal(findHadolintConfig(join(root, 'Dockerfile'), options), join(root, '.hadolint.yml'));
    assert.equal(findHadolintConfig(join(root, 'services/api/Dockerfile'), { ...options, stopAt: join(root, 'services/api'), cwd: join(root, 'services/api') }), undefined);
  });
});
