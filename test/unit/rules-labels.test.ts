import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile } from '../../server/src/dockerfile';
import { runRules } from '../../server/src/rules/runner';
import { DEFAULT_LINT_SETTINGS, type LabelKind, type LintSettings } from '../../server/src/rules/settings';
import type { Rule } from '../../server/src/rules/types';
import { DL3048, labelKeyProblem } from '../../server/src/rules/dockerfile/DL3048';
import { DL3049 } from '../../server/src/rules/dockerfile/DL3049';
import { DL3050 } from '../../server/src/rules/dockerfile/DL3050';
import { DL3051 } from '../../server/src/rules/dockerfile/DL3051';
import { DL3052, isUri } from '../../server/src/rules/dockerfile/DL3052';
import { DL3053, isRfc3339 } from '../../server/src/rules/dockerfile/DL3053';
import { DL3054, isSpdxExpression } from '../../server/src/rules/dockerfile/DL3054';
import { DL3055, isGitHash } from '../../server/src/rules/dockerfile/DL3055';
import { DL3056, isSemver } from '../../server/src/rules/dockerfile/DL3056';
import { DL3058, isEmail } from '../../server/src/rules/dockerfile/DL3058';

type ExampleRule = Rule & { exampleSettings?: Partial<LintSettings> };

const SCHEMA_RULES: ExampleRule[] = [DL3049, DL3050, DL3051, DL3052, DL3053, DL3054, DL3055, DL3056, DL3058];

const schema = (entries: Record<string, LabelKind>) => new Map(Object.entries(entries));

function lint(text: string, rules: readonly Rule[], settings: Partial<LintSettings> = {}) {
  const run = runRules(analyzeDockerfile(text), rules, { ...DEFAULT_LINT_SETTINGS, ...settings });
  assert.deepEqual(run.failures, [], 'no rule may throw');
  return run.results.map((result) => ({ code: result.code, severity: result.severity, text: text.slice(result.range.start, result.range.end), message: result.message }));
}

const codes = (text: string, rules: readonly Rule[], settings: Partial<LintSettings> = {}) => lint(text, rules, settings).map((result) => result.code);

describe('label rules: examples under the settings they assume', () => {
  for (const rule of SCHEMA_RULES) {
    it(`${rule.id}: fires on each "fire" example and on no "pass" example with its example settings`, () => {
      assert.ok(rule.exampleSettings, `${rule.id} needs exampleSettings`);
      for (const example of rule.examples.fire) assert.ok(codes(example, [rule], rule.exampleSettings).includes(rule.id), `${rule.id} should fire on:\n${example}`);
      for (const example of rule.examples.pass) assert.ok(!codes(example, [rule], rule.exampleSettings).includes(rule.id), `${rule.id} should not fire on:\n${example}`);
    });
  }

  it('without a label schema (the default) no schema rule reports anything, not even on the fire examples', () => {
    for (const rule of SCHEMA_RULES) for (const example of rule.examples.fire) assert.deepEqual(codes(example, [rule]), [], `${rule.id} on:\n${example}`);
  });
});

describe('DL3048 invalid label key', () => {
  it('names what is wrong with the key and underlines the key', () => {
    const results = lint('FROM alpine:3.20\nLABEL com.Example.team=x "io.docker.thing"=y ok.key=z\n', [DL3048]);
    assert.deepEqual(results.map((result) => result.text), ['com.Example.team', '"io.docker.thing"']);
    assert.match(results[0]!.message, /'E' is not allowed/);
    assert.match(results[1]!.message, /io\.docker namespace is reserved/);
    assert.equal(results[0]!.severity, 'style');
  });

  it('follows Docker\'s guidelines', () => {
    for (const key of ['org.opencontainers.image.title', 'com.example.build-id', 'a', 'version2']) assert.equal(labelKeyProblem(key), undefined, key);
    for (const key of ['Version', '1abc', 'abc-', 'a_b', 'a..b', 'a--b', 'com.docker.x', 'org.dockerproject.y', 'a b', '']) assert.ok(labelKeyProblem(key), key);
  });

  it('checks LABEL in ONBUILD triggers and keys taken from variables', () => {
    assert.deepEqual(codes('FROM alpine:3.20\nONBUILD LABEL Bad=1\n', [DL3048]), ['DL3048']);
    assert.deepEqual(codes('FROM alpine:3.20\nARG KEY=com.example.Team\nLABEL ${KEY}=payments\n', [DL3048]), ['DL3048']);
    assert.deepEqual(codes('FROM alpine:3.20\nARG KEY\nLABEL ${KEY}=payments\n', [DL3048]), [], 'an unknown key is not judged');
  });
});

describe('DL3049 missing label', () => {
  const settings = { labelSchema: schema({ version: 'semver', 'org.opencontainers.image.title': 'text' }) };

  it('reports each missing label once per shipped stage, at its FROM', () => {
    const results = lint('FROM alpine:3.20\nLABEL version=1.0.0\n', [DL3049], settings);
    assert.deepEqual(results.map((result) => [result.code, result.severity, result.text]), [['DL3049', 'info', 'FROM']]);
    assert.match(results[0]!.message, /'org\.opencontainers\.image\.title' is missing/);
  });

  it('skips stages other stages copy from, mount from or build on, and lets stages inherit labels', () => {
    const text = [
      'FROM golang:1.23 AS build',
      'RUN go build -o /out/app .',
      'FROM alpine:3.20 AS base',
      'LABEL version=1.0.0 org.opencontainers.image.title=shop',
      'FROM base',
      'RUN --mount=type=cache,from=build,target=/cache true',
      'COPY --from=build /out/app /app',
      '',
    ].join('\n');
    assert.deepEqual(codes(text, [DL3049], settings), []);
  });

  it('reports every shipped stage that lacks the label', () => {
    const text = 'FROM alpine:3.20 AS one\nLABEL version=1.0.0 org.opencontainers.image.title=a\nFROM alpine:3.20 AS two\nLABEL version=1.0.0\n';
    assert.deepEqual(lint(text, [DL3049], settings).map((result) => result.message), ["Label 'org.opencontainers.image.title' is missing: the label schema requires it"]);
  });

  it('gives a label whose key is an unknown variable the benefit of the doubt', () => {
    assert.deepEqual(codes('FROM alpine:3.20\nARG K\nLABEL $K=x version=1.0.0\n', [DL3049], settings), []);
  });

  it('an ONBUILD LABEL does not label this image', () => {
    assert.deepEqual(codes('FROM alpine:3.20\nLABEL version=1.0.0\nONBUILD LABEL org.opencontainers.image.title=x\n', [DL3049], settings), ['DL3049']);
  });
});

describe('DL3050 superfluous labels', () => {
  it('needs strict labels', () => {
    assert.deepEqual(codes('FROM alpine:3.20\nLABEL extra=1\n', [DL3050], { labelSchema: schema({ version: 'semver' }) }), []);
  });

  it('with strict labels, reports each label outside the schema at its key', () => {
    const results = lint('FROM alpine:3.20\nLABEL version=1.0.0 extra=1\n', [DL3050], { labelSchema: schema({ version: 'semver' }), strictLabels: true });
    assert.deepEqual(results.map((result) => [result.severity, result.text]), [['info', 'extra']]);
  });

  it('with strict labels and no schema, every label is superfluous (as in hadolint)', () => {
    assert.deepEqual(codes('FROM alpine:3.20\nLABEL a=1 b=2\n', [DL3050], { strictLabels: true }), ['DL3050', 'DL3050']);
  });
});

describe('DL3051 empty label', () => {
  const settings = { labelSchema: schema({ version: 'semver' }) };
  it('reports schema labels set to nothing, directly or through a known variable', () => {
    assert.deepEqual(lint('FROM alpine:3.20\nLABEL version=""\n', [DL3051], settings).map((result) => [result.severity, result.text]), [['warning', 'version=""']]);
    assert.deepEqual(codes('FROM alpine:3.20\nLABEL version=\n', [DL3051], settings), ['DL3051']);
    assert.deepEqual(codes('FROM alpine:3.20\nENV V=""\nLABEL version=$V\n', [DL3051], settings), ['DL3051']);
  });
  it('leaves labels outside the schema and unknown values alone', () => {
    assert.deepEqual(codes('FROM alpine:3.20\nLABEL other=""\n', [DL3051], settings), []);
    assert.deepEqual(codes('FROM alpine:3.20\nARG V\nLABEL version=$V\n', [DL3051], settings), []);
  });
});

describe('label value formats', () => {
  const all = schema({ src: 'url', created: 'rfc3339', license: 'spdx', rev: 'hash', version: 'semver', contact: 'email', title: 'text' });
  const formatRules = [DL3052, DL3053, DL3054, DL3055, DL3056, DL3058];

  it('each format rule reports only labels of its kind, at the value, naming label and value', () => {
    const text = 'FROM alpine:3.20\nLABEL src=nope created=yesterday license=nope rev=nope version=nope contact=nope title=nope other=nope\n';
    const results = lint(text, formatRules, { labelSchema: all });
    assert.deepEqual(
      results.map((result) => [result.code, result.severity, result.text]),
      [
        ['DL3052', 'warning', 'nope'],
        ['DL3053', 'warning', 'yesterday'],
        ['DL3054', 'warning', 'nope'],
        ['DL3055', 'warning', 'nope'],
        ['DL3056', 'warning', 'nope'],
        ['DL3058', 'warning', 'nope'],
      ],
    );
    assert.equal(results[1]!.message, "Label 'created' is not an RFC 3339 time: 'yesterday' (expected e.g. 2024-05-01T12:30:00Z)");
  });

  it('judges values after quote removal and variable expansion, and skips empty and unknown values', () => {
    const settings = { labelSchema: all };
    assert.deepEqual(codes('FROM alpine:3.20\nARG V=1.2.3\nLABEL version="${V}"\n', formatRules, settings), []);
    assert.deepEqual(codes('FROM alpine:3.20\nARG V=v1\nLABEL version="${V}"\n', formatRules, settings), ['DL3056']);
    assert.deepEqual(codes('FROM alpine:3.20\nARG V\nLABEL version=$V src=$V\n', formatRules, settings), []);
    assert.deepEqual(codes('FROM alpine:3.20\nLABEL version="" src=""\n', formatRules, settings), [], 'empty values are DL3051\'s');
  });

  it('URL: absolute URIs per RFC 3986', () => {
    for (const value of ['https://github.com/acme/shop', 'http://localhost:8080/x?y=1#z', 'mailto:team@example.com', 'urn:isbn:0451450523', 'https://[::1]/', 'git+ssh://git@example.com/a.git', 'https://example.com/a%20b'])
      assert.ok(isUri(value), value);
    for (const value of ['github.com/acme/shop', 'https://example.com/a b', '', '://x', '1http://x', 'https://example.com/%zz'])
      assert.ok(!isUri(value), value);
  });

  it('RFC 3339 times', () => {
    for (const value of ['2024-05-01T12:30:00Z', '2024-05-01t12:30:00z', '2024-02-29T00:00:00+01:00', '2024-05-01T12:30:00.123456-07:30', '2016-12-31T23:59:60Z', '2024-05-01 12:30:00Z'])
      assert.ok(isRfc3339(value), value);
    for (const value of ['2024-05-01', '2024-05-01T12:30Z', '2023-02-29T00:00:00Z', '2024-13-01T00:00:00Z', '2024-05-01T24:00:00Z', '2024-05-01T12:30:00', '2024-05-01T12:30:00+0100', 'now'])
      assert.ok(!isRfc3339(value), value);
  });

  it('semantic versions', () => {
    for (const value of ['0.0.0', '1.4.2', '10.20.30', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-0.3.7', '1.0.0-x-y-z.--', '1.0.0+20130313144700', '1.0.0-beta+exp.sha.5114f85'])
      assert.ok(isSemver(value), value);
    for (const value of ['1', '1.2', 'v1.2.3', '01.2.3', '1.02.3', '1.2.3-01', '1.2.3-', '1.2.3+', '1.2.3.4', 'latest'])
      assert.ok(!isSemver(value), value);
  });

  it('git hashes: 7 or 40 lower-case hexadecimal digits', () => {
    assert.ok(isGitHash('abc1234'));
    assert.ok(isGitHash('0123456789abcdef0123456789abcdef01234567'));
    for (const value of ['abc123', 'abc12345', 'ABC1234', 'ghijklm', 'main']) assert.ok(!isGitHash(value), value);
  });

  it('e-mail addresses: a bare addr-spec', () => {
    for (const value of ['team@example.com', 'first.last+tag@mail.example.co.uk', '"odd name"@example.com', 'a@b', 'ops@[192.0.2.1]']) assert.ok(isEmail(value), value);
    for (const value of ['Team <team@example.com>', 'team', 'team@', '@example.com', 'a..b@example.com', 'a@b@c', 'team@example.com, ops@example.com'])
      assert.ok(!isEmail(value), value);
  });

  it('SPDX: known identifiers (any case), + suffix, LicenseRef, and AND / OR / WITH expressions', () => {
    for (const value of ['MIT', 'mit', 'Apache-2.0', 'GPL-2.0+', 'GPL-3.0-or-later', 'MIT OR Apache-2.0', '(MIT OR Apache-2.0) AND BSD-3-Clause', 'GPL-2.0-only WITH Classpath-exception-2.0', 'LicenseRef-Acme', 'DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2', 'mit or apache-2.0'])
      assert.ok(isSpdxExpression(value), value);
    for (const value of ['Apache 2.0', 'Proprietary', 'MIT OR', 'OR MIT', '(MIT', 'MIT)', 'MIT WITH Apache-2.0', 'GPL', '', 'MIT/Apache-2.0'])
      assert.ok(!isSpdxExpression(value), value);
  });
});
