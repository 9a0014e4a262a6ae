import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile } from '../../server/src/dockerfile';
import { runRules } from '../../server/src/rules/runner';
import { DEFAULT_LINT_SETTINGS, type LintSettings } from '../../server/src/rules/settings';
import type { Rule } from '../../server/src/rules/types';
import { DL1001 } from '../../server/src/rules/dockerfile/DL1001';
import { DL3046 } from '../../server/src/rules/dockerfile/DL3046';
import { DL3047 } from '../../server/src/rules/dockerfile/DL3047';
import { DL3057 } from '../../server/src/rules/dockerfile/DL3057';
import { DL3059 } from '../../server/src/rules/dockerfile/DL3059';
import { DL3060 } from '../../server/src/rules/dockerfile/DL3060';
import { DL3062 } from '../../server/src/rules/dockerfile/DL3062';
import { DL3063 } from '../../server/src/rules/dockerfile/DL3063';
import { DL3064, looksSensitive } from '../../server/src/rules/dockerfile/DL3064';
import { DL3065 } from '../../server/src/rules/dockerfile/DL3065';
import { DL3066 } from '../../server/src/rules/dockerfile/DL3066';
import { DL3067 } from '../../server/src/rules/dockerfile/DL3067';
import { DL4001 } from '../../server/src/rules/dockerfile/DL4001';
import { DL4003 } from '../../server/src/rules/dockerfile/DL4003';
import { DL4004 } from '../../server/src/rules/dockerfile/DL4004';
import { DL4005 } from '../../server/src/rules/dockerfile/DL4005';
import { DL4006, shellSetsPipefail } from '../../server/src/rules/dockerfile/DL4006';

const BATCH: Rule[] = [DL1001, DL3046, DL3047, DL3057, DL3059, DL3060, DL3062, DL3063, DL3064, DL3065, DL3066, DL3067, DL4001, DL4003, DL4004, DL4005, DL4006];

function lint(text: string, rules: readonly Rule[], settings: Partial<LintSettings> = {}) {
  const run = runRules(analyzeDockerfile(text), rules, { ...DEFAULT_LINT_SETTINGS, ...settings });
  assert.deepEqual(run.failures, [], 'no rule may throw');
  return run.results.map((result) => ({
    code: result.code,
    severity: result.severity,
    text: text.slice(result.range.start, result.range.end),
    line: text.slice(0, result.range.start).split('\n').length,
    message: result.message,
  }));
}
const texts = (text: string, rule: Rule, settings: Partial<LintSettings> = {}) => lint(text, [rule], settings).map((result) => result.text);

describe('rules that are off by default (hadolint level "ignore")', () => {
  for (const rule of [DL1001, DL3057]) {
    it(`${rule.id} reports nothing until it is given a severity, then follows its examples`, () => {
      for (const example of [...rule.examples.fire, ...rule.examples.pass]) assert.deepEqual(lint(example, [rule]), []);
      const settings = rule.exampleSettings;
      for (const example of rule.examples.fire) assert.ok(lint(example, [rule], settings).length > 0, `${rule.id} should fire on:\n${example}`);
      for (const example of rule.examples.pass) assert.deepEqual(lint(example, [rule], settings), [], `${rule.id} should not fire on:\n${example}`);
      const warning = { severityOverrides: new Map([[rule.id, 'warning' as const]]) };
      assert.equal(lint(rule.examples.fire[0]!, [rule], warning)[0]?.severity, 'warning');
    });
  }

  it('DL1001 underlines the pragma comment, not the global ignore', () => {
    const on = DL1001.exampleSettings;
    assert.deepEqual(texts('# hadolint global ignore=DL3006\nFROM debian\n# hadolint ignore=DL3008, DL3015\nRUN true\n', DL1001, on), ['# hadolint ignore=DL3008, DL3015']);
  });

  it('DL3057 reports each shipped stage without a HEALTHCHECK of its own or inherited', () => {
    const on = DL3057.exampleSettings;
    const text = 'FROM alpine:3.20 AS a\nFROM alpine:3.20 AS b\nHEALTHCHECK CMD true\nFROM b\nFROM alpine:3.20 AS tool\nFROM scratch\nCOPY --from=tool /x /x\n';
    const results = lint(text, [DL3057], on);
    assert.deepEqual(results.map((result) => [result.line, result.text]), [[1, 'FROM'], [6, 'FROM']]);
  });
});

describe('DL3046 useradd with a high UID', () => {
  it('underlines the UID option and names the UID', () => {
    const results = lint('FROM debian:12\nRUN useradd --create-home -u 1000000 app\n', [DL3046]);
    assert.deepEqual(results.map((result) => [result.severity, result.text]), [['warning', '-u 1000000']]);
    assert.match(results[0]!.message, /UID 1000000/);
  });
  it('reads -u123456, sudo useradd, values from ENV, and ONBUILD triggers; accepts -lu cluster', () => {
    assert.deepEqual(texts('FROM debian:12\nRUN sudo useradd -u123456 app\n', DL3046), ['-u123456']);
    assert.deepEqual(texts('FROM debian:12\nENV APP_UID=654321\nRUN useradd -u $APP_UID app\n', DL3046), ['-u $APP_UID']);
    assert.deepEqual(texts('FROM debian:12\nONBUILD RUN useradd -u 999999 app\n', DL3046), ['-u 999999']);
    assert.deepEqual(texts('FROM debian:12\nRUN useradd -lu 999999 app\n', DL3046), []);
    assert.deepEqual(texts('FROM debian:12\nRUN useradd -c "-u 999999" app\n', DL3046), [], 'a comment is not the UID');
  });
});

describe('DL3047 wget without --progress', () => {
  it('underlines wget; any of the quiet or logging options keeps it quiet', () => {
    assert.deepEqual(lint('FROM debian:12\nRUN cd /tmp && wget https://example.com/x\n', [DL3047]).map((result) => [result.severity, result.text]), [['info', 'wget']]);
    for (const options of ['-q', '--quiet', '-nv', '--no-verbose', '--progress=bar:force', '--progress dot', '-o log', '--output-file=log', '-a log', '--append-output log', '-qO /tmp/x'])
      assert.deepEqual(texts(`FROM debian:12\nRUN wget ${options} https://example.com/x\n`, DL3047), [], options);
    assert.deepEqual(texts('FROM debian:12\nRUN wget -O -q https://example.com/x\n', DL3047), ['wget'], '-q is the output file here');
  });
});

describe('DL3059 consecutive RUN', () => {
  it('reports the second RUN of a mergeable pair at its keyword, and keeps the first as the anchor', () => {
    const results = lint('FROM debian:12\nRUN a\nRUN b\nRUN c\n', [DL3059]);
    assert.deepEqual(results.map((result) => [result.severity, result.text]), [['info', 'RUN'], ['info', 'RUN']]);
  });
  it('counts commands in heredocs and substitutions; a RUN with three commands breaks the chain', () => {
    assert.deepEqual(texts('FROM debian:12\nRUN <<EOF\na\nb\nc\nEOF\nRUN d\n', DL3059), []);
    assert.deepEqual(texts('FROM debian:12\nRUN echo $(date) $(id)\nRUN d\n', DL3059), []);
    assert.deepEqual(texts('FROM debian:12\nRUN a && b\nRUN c\n', DL3059), ['RUN']);
    assert.deepEqual(texts('FROM debian:12\nRUN ["echo", "hi"]\nRUN ["echo", "there"]\n', DL3059), ['RUN']);
  });
  it('a FROM or any other instruction resets, and different mounts do not merge', () => {
    assert.deepEqual(texts('FROM debian:12\nRUN a\nFROM debian:12\nRUN b\n', DL3059), []);
    assert.deepEqual(texts('FROM debian:12\nRUN --network=none a\nRUN b\n', DL3059), []);
    assert.deepEqual(texts('FROM debian:12\nRUN --network=none a\nRUN --network=none b\n', DL3059), ['RUN']);
  });
});

describe('DL3060 yarn cache', () => {
  it('underlines install; only shipped stages count', () => {
    assert.deepEqual(lint('FROM node:22\nRUN yarn --frozen-lockfile install\n', [DL3060]).map((result) => [result.severity, result.text]), [['info', 'install']]);
    assert.deepEqual(texts('FROM node:22 AS deps\nRUN yarn install\nFROM node:22\nCOPY --from=deps /app/node_modules ./node_modules\n', DL3060), []);
  });
  it('a clean in the same RUN, or a yarn cache mount, is enough; a clean in a later RUN is not', () => {
    assert.deepEqual(texts('FROM node:22\nRUN yarn install; yarn cache clean --all\n', DL3060), []);
    assert.deepEqual(texts('FROM node:22\nRUN --mount=type=cache,target=/cache yarn install --cache-folder /cache/yarn\n', DL3060), []);
    assert.deepEqual(texts('FROM node:22\nRUN --mount=type=cache,target=/root/.npm yarn install\n', DL3060), ['install'], 'that mount is not yarn\'s cache');
    assert.deepEqual(texts('FROM node:22\nRUN yarn install\nRUN yarn cache clean\n', DL3060), ['install']);
  });
  it('checks ONBUILD triggers, whatever stage they sit in', () => {
    assert.deepEqual(texts('FROM node:22 AS base\nONBUILD RUN yarn install\nFROM alpine:3.20\nCOPY --from=base /x /x\n', DL3060), ['install']);
  });
});

describe('DL3062 go install versions', () => {
  it('underlines each unpinned package and suggests the pinned form', () => {
    const results = lint('FROM golang:1.23\nRUN go install -v golang.org/x/a@latest golang.org/x/b@v1.0.0 golang.org/x/c\n', [DL3062]);
    assert.deepEqual(results.map((result) => [result.severity, result.text]), [['warning', 'golang.org/x/a@latest'], ['warning', 'golang.org/x/c']]);
    assert.match(results[0]!.message, /golang\.org\/x\/a@<version>/);
  });
  it('go get and go run too; go flags with values are skipped; go run checks only the package', () => {
    assert.deepEqual(texts('FROM golang:1.23\nRUN go get -u example.com/lib\n', DL3062), ['example.com/lib']);
    assert.deepEqual(texts('FROM golang:1.23\nRUN go install -tags netgo -o /bin/x example.com/x@v1.2.3\n', DL3062), []);
    assert.deepEqual(texts('FROM golang:1.23\nRUN go run example.com/gen@v1.0.0 example.com/other\n', DL3062), []);
    assert.deepEqual(texts('FROM golang:1.23\nRUN go run main.go example.com/other\n', DL3062), []);
    assert.deepEqual(texts('FROM golang:1.23\nRUN go install "$TOOL"\n', DL3062), [], 'a variable may hold the version');
    assert.deepEqual(texts('FROM golang:1.23\nRUN go install example.com/x@none\n', DL3062), ['example.com/x@none']);
  });
});

describe('DL3063, DL3065, DL3067', () => {
  it('DL3063 underlines the stage name, whatever its case, and answers to BuildKit\'s name', () => {
    assert.deepEqual(texts('FROM alpine:3.20 AS ConText\n', DL3063), ['ConText']);
    assert.deepEqual(texts('# check=skip=ReservedStageName\nFROM alpine:3.20 AS scratch\n', DL3063), []);
  });
  it('DL3065 underlines the --platform flag', () => {
    assert.deepEqual(texts('FROM --platform="$TARGETPLATFORM" alpine:3.20\n', DL3065), ['--platform="$TARGETPLATFORM"']);
    assert.deepEqual(texts('FROM --platform=$TARGETPLATFORM-x alpine:3.20\n', DL3065), []);
  });
  it('DL3067 underlines the root source, for / and its spellings', () => {
    assert.deepEqual(texts('FROM a AS b\nFROM c\nCOPY --from=b --chown=1:1 /. /\n', DL3067), ['/.']);
    assert.deepEqual(texts('FROM a AS b\nFROM c\nCOPY --from=b /etc/ssl / /\n', DL3067), ['/']);
    assert.deepEqual(texts('FROM a AS b\nFROM c\nCOPY --from=b / /rootfs/\n', DL3067), []);
  });
});

describe('DL3064 secrets in ARG and ENV', () => {
  it('underlines the variable name, in ARG, ENV and ONBUILD', () => {
    assert.deepEqual(texts('FROM alpine:3.20\nARG GITHUB_TOKEN\nENV A=1 DB_PASSWORD=x\nONBUILD ENV SECRET_KEY=x\n', DL3064), ['GITHUB_TOKEN', 'DB_PASSWORD', 'SECRET_KEY']);
  });
  it('matches names by pattern and a few known names, and leaves file pointers alone', () => {
    for (const name of ['PASSWORD', 'db_password', 'API_KEY', 'Client_Key', 'PRIVATE_KEY', 'REGISTRY_USERNAME', 'AWS_ACCESS_KEY_ID', 'SLACK_TOKEN']) assert.ok(looksSensitive(name), name);
    for (const name of ['PATH', 'NODE_ENV', 'GOPRIVATE', 'POSTGRES_PASSWORD_FILE', 'TOKEN_PATH', 'KEYBOARD', 'APP_VERSION']) assert.ok(!looksSensitive(name), name);
  });
});

describe('DL3066 non-numeric USER', () => {
  it('underlines the user part of the last USER of each stage', () => {
    const text = 'FROM alpine:3.20 AS a\nUSER app:app\nFROM alpine:3.20\nUSER 0\nUSER web\n';
    assert.deepEqual(lint(text, [DL3066]).map((result) => [result.severity, result.text]), [['info', 'app'], ['info', 'web']]);
  });
  it('follows ENV values, trusts ARGs, and skips what is unknown', () => {
    assert.deepEqual(texts('FROM alpine:3.20\nENV APP_USER=app\nUSER $APP_USER\n', DL3066), ['$APP_USER']);
    assert.deepEqual(texts('FROM alpine:3.20\nENV APP_UID=1000\nUSER ${APP_UID}:${APP_UID}\n', DL3066), []);
    assert.deepEqual(texts('FROM alpine:3.20\nARG APP_USER=app\nUSER $APP_USER\n', DL3066), []);
    assert.deepEqual(texts('FROM alpine:3.20\nUSER $SOMETHING\n', DL3066), []);
  });
});

describe('DL4001 curl and wget', () => {
  it('reports each RUN that uses one of them once the stage has used both, at the first use in that RUN', () => {
    const text = 'FROM debian:12\nRUN curl -fsSLO https://example.com/a\nRUN echo $(wget -qO- https://example.com/b)\nRUN curl -fsSLO https://example.com/c\n';
    const results = lint(text, [DL4001]);
    assert.deepEqual(results.map((result) => [result.severity, result.text]), [['warning', 'wget'], ['warning', 'curl']]);
    assert.match(results[0]!.message, /uses curl as well as wget/);
  });
  it('keeps stages and ONBUILD triggers apart', () => {
    assert.deepEqual(texts('FROM debian:12\nRUN curl -O https://example.com/a\nONBUILD RUN wget https://example.com/b\n', DL4001), []);
    assert.deepEqual(texts('FROM debian:12\nRUN curl -O https://example.com/a\nFROM debian:12\nRUN wget https://example.com/b\n', DL4001), []);
  });
});

describe('DL4003 and DL4004', () => {
  it('report every CMD / ENTRYPOINT after the first of a stage, under their code, and answer to BuildKit\'s name', () => {
    const text = 'FROM a\nCMD ["a"]\nENTRYPOINT ["x"]\nCMD ["b"]\nENTRYPOINT ["y"]\nCMD ["c"]\nFROM b\nCMD ["d"]\n';
    assert.deepEqual(lint(text, [DL4003, DL4004]).map((result) => [result.code, result.severity, result.text]), [
      ['DL4003', 'warning', 'CMD'],
      ['DL4004', 'error', 'ENTRYPOINT'],
      ['DL4003', 'warning', 'CMD'],
    ]);
    assert.deepEqual(lint(`# check=skip=MultipleInstructionsDisallowed\n${text}`, [DL4003, DL4004]), []);
  });
});

describe('DL4005 ln /bin/sh', () => {
  it('underlines /bin/sh, also behind sudo', () => {
    assert.deepEqual(lint('FROM debian:12\nRUN sudo ln -sfn /bin/bash /bin/sh\n', [DL4005]).map((result) => [result.severity, result.text]), [['warning', '/bin/sh']]);
    assert.deepEqual(texts('FROM debian:12\nRUN ln -s /bin/sh /usr/local/bin/sh\n', DL4005), ['/bin/sh']);
  });
});

describe('DL4006 pipefail', () => {
  it('underlines the first unprotected pipeline, once per RUN', () => {
    const results = lint('FROM debian:12\nRUN apt-get update && curl -fsSL https://x | tar -xz && ls | wc -l\n', [DL4006]);
    assert.deepEqual(results.map((result) => [result.severity, result.text]), [['warning', 'curl -fsSL https://x | tar -xz']]);
    assert.match(results[0]!.message, /failure of curl/);
  });
  it('set -o pipefail in the script counts only before the pipe and outside subshells', () => {
    assert.deepEqual(texts('FROM debian:12\nRUN a | b && set -o pipefail\n', DL4006), ['a | b']);
    assert.deepEqual(texts('FROM debian:12\nRUN (set -o pipefail) && a | b\n', DL4006), ['a | b']);
    assert.deepEqual(texts('FROM debian:12\nSHELL ["/bin/bash", "-c"]\nRUN set -eo pipefail; a | b\n', DL4006), []);
  });
  it('pipes inside substitutions and heredoc scripts count', () => {
    assert.deepEqual(texts('FROM debian:12\nRUN echo "$(ls | head -1)"\n', DL4006), ['ls | head -1']);
    assert.deepEqual(texts('FROM debian:12\nRUN <<EOF\nls | head -1\nEOF\n', DL4006), ['ls | head -1']);
    assert.deepEqual(texts('FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN <<EOF\nls | head -1\nEOF\n', DL4006), []);
  });
  it('a SHELL without pipefail, or with a shell that has none, does not protect; a later SHELL in the stage does not protect earlier RUNs', () => {
    assert.deepEqual(texts('FROM debian:12\nSHELL ["/bin/sh", "-o", "pipefail", "-c"]\nRUN a | b\n', DL4006), ['a | b']);
    assert.deepEqual(texts('FROM debian:12\nRUN a | b\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN c | d\n', DL4006), ['a | b']);
    assert.deepEqual(texts('FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nFROM debian:12\nRUN a | b\n', DL4006), ['a | b']);
    assert.deepEqual(texts('FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["cmd.exe", "/S", "/C"]\nRUN dir | findstr x\n', DL4006), []);
  });
  it('reads SHELL option spellings', () => {
    assert.ok(shellSetsPipefail(['/bin/bash', '-o', 'pipefail', '-c']));
    assert.ok(shellSetsPipefail(['/usr/bin/zsh', '-euxo', 'pipefail', '-c']));
    assert.ok(shellSetsPipefail(['ash', '-o', 'errexit', '-o', 'pipefail', '-c']));
    assert.ok(!shellSetsPipefail(['/bin/bash', '-c']));
    assert.ok(!shellSetsPipefail(['/bin/dash', '-o', 'pipefail', '-c']));
    assert.ok(!shellSetsPipefail(['/bin/bash', '+o', 'pipefail', '-c']));
  });
});

describe('the batch never throws', () => {
  const odd = [
    '',
    '\n\n',
    'RUN a | b\n',
    'FROM\n',
    'FROM alpine AS\nUSER\nLABEL\nCOPY --from=x\nENV\nARG\n',
    'FROM alpine:3.20\nRUN\nRUN ["sh", "-c"]\nRUN [\nONBUILD\nONBUILD RUN\nSHELL []\nSHELL ["pwsh"]\nRUN x | y\n',
    'FROM alpine:3.20\nRUN <<EOF\nEOF\nRUN <<EOF\nunterminated | heredoc\n',
    'FROM alpine:3.20\nRUN go install\nRUN go\nRUN useradd -u\nRUN wget\nRUN yarn\nRUN ln\nUSER :\nCOPY --from=a "/\n',
    'FROM alpine:3.20\nRUN $(echo | ) "unterminated\n',
    'FROM --platform= alpine:3.20 AS ""\nHEALTHCHECK\nCMD\nENTRYPOINT\n',
  ];
  it('on malformed and partial Dockerfiles, with every option on', () => {
    const settings: Partial<LintSettings> = {
      severityOverrides: new Map([['DL1001', 'info'], ['DL3057', 'info']]),
      labelSchema: new Map([['version', 'semver']]),
      strictLabels: true,
    };
    for (const text of odd) lint(text, BATCH, settings);
  });
});
