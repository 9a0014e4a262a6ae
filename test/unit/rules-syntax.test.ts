import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile } from '../../server/src/dockerfile';
import { DOCKERFILE_RULES } from '../../server/src/rules/dockerfile';
import {
  closest,
  closestInstruction,
  isGoUnitsSize,
  parseGoBool,
  parseGoDuration,
  parseGoInt,
  splitCsv,
} from '../../server/src/rules/dockerfile/_syntax';
import { runRules, type LintResult } from '../../server/src/rules/runner';
import { DEFAULT_LINT_SETTINGS } from '../../server/src/rules/settings';
import type { Fix } from '../../server/src/rules/types';

const SYNTAX_RULES = DOCKERFILE_RULES.filter((rule) => rule.source === 'syntax');

/** Findings of the syntax rules, as `code [underlined text] message`. */
function lint(text: string): LintResult[] {
  const run = runRules(analyzeDockerfile(text), SYNTAX_RULES, DEFAULT_LINT_SETTINGS);
  assert.deepEqual(run.failures, [], 'no rule may throw');
  return run.results.filter((result) => SYNTAX_RULES.some((rule) => rule.id === result.code));
}

function found(text: string): string[] {
  return lint(text).map((result) => `${result.code} [${text.slice(result.range.start, result.range.end)}]`);
}

function only(text: string, code: string): LintResult {
  const results = lint(text).filter((result) => result.code === code);
  assert.equal(results.length, 1, `expected one ${code} in ${JSON.stringify(text)}, got ${JSON.stringify(found(text))}`);
  return results[0]!;
}

/** Applies a fix's edits (last first, so offsets stay valid). */
function apply(text: string, fix: Fix | undefined): string {
  assert.ok(fix, 'expected a fix');
  let result = text;
  for (const edit of [...fix.edits].sort((a, b) => b.range.start - a.range.start)) {
    result = result.slice(0, edit.range.start) + edit.newText + result.slice(edit.range.end);
  }
  return result;
}

describe('syntax rules: helpers follow Go and BuildKit', () => {
  it('parses Go durations', () => {
    assert.equal(parseGoDuration('30s'), 30e9);
    assert.equal(parseGoDuration('1m30s'), 90e9);
    assert.equal(parseGoDuration('1.5h'), 5400e9);
    assert.equal(parseGoDuration('.5s'), 0.5e9);
    assert.equal(parseGoDuration('1.s'), 1e9);
    assert.equal(parseGoDuration('0'), 0);
    assert.equal(parseGoDuration('-0'), 0);
    assert.equal(parseGoDuration('-2ms'), -2e6);
    assert.equal(parseGoDuration('10\u00b5s'), 10e3);
    for (const bad of ['', '30', '1 s', '.s', 's', '1d', '1.5.5s', '+', '5S', '9999999999h']) {
      assert.equal(parseGoDuration(bad), undefined, bad);
    }
  });

  it('parses Go booleans and integers', () => {
    assert.equal(parseGoBool('True'), true);
    assert.equal(parseGoBool('0'), false);
    assert.equal(parseGoBool('yes'), undefined);
    assert.equal(parseGoInt('+3', 32), 3);
    assert.equal(parseGoInt('2147483648', 32), undefined);
    assert.equal(parseGoInt('1_000', 32), undefined);
  });

  it('splits CSV like encoding/csv', () => {
    assert.deepEqual(splitCsv('a=1,b,"c,d"'), [
      { text: 'a=1', start: 0, end: 3 },
      { text: 'b', start: 4, end: 5 },
      { text: 'c,d', start: 6, end: 11 },
    ]);
    assert.deepEqual(splitCsv('a,'), [
      { text: 'a', start: 0, end: 1 },
      { text: '', start: 2, end: 2 },
    ]);
    assert.equal(splitCsv('a="b"'), undefined);
    assert.equal(splitCsv('"a'), undefined);
  });

  it('accepts sizes as docker/go-units does', () => {
    for (const good of ['64m', '64M', '1g', '1.5GiB', '100', '10 kb', '512b']) assert.ok(isGoUnitsSize(good), good);
    for (const bad of ['lots', 'm', '1x', '10mbb', '-1m', '']) assert.ok(!isGoUnitsSize(bad), bad);
  });

  it('suggests within edit distance 2, as BuildKit does', () => {
    assert.equal(closestInstruction('RUNN'), 'RUN');
    assert.equal(closestInstruction('workdri'), 'workdir');
    assert.equal(closestInstruction('Cpoy'), 'COPY');
    assert.equal(closestInstruction('apt-get'), undefined);
    assert.equal(closest('FROM', ['from', 'chown']), 'from');
    assert.equal(closest('from', ['from']), undefined);
  });
});

describe('syntax rules: exact findings and fixes', () => {
  it('unknown-instruction underlines the keyword and fixes it in the same case', () => {
    const text = 'FROM alpine:3.20\nworkdri /app\n';
    const result = only(text, 'unknown-instruction');
    assert.equal(text.slice(result.range.start, result.range.end), 'workdri');
    assert.match(result.message, /did you mean workdir\?/);
    assert.equal(apply(text, result.fixes[0]), 'FROM alpine:3.20\nworkdir /app\n');
  });

  it('unknown-instruction hints at a lost line continuation, with the escape character in use', () => {
    const text = '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo one\n    echo two\n';
    assert.match(only(text, 'unknown-instruction').message, /end that line with '`'/);
  });

  it('every syntax rule stays silent when another frontend is named', () => {
    const text = '# syntax=registry.example.com/team/frontend:2\nFROM alpine:3.20 AS 1st\nBUILD x\nCOPY --magic a\n';
    assert.deepEqual(found(text), []);
    assert.deepEqual(found('# syntax=docker/dockerfile:1.7-labs\nFROM alpine:3.20\nBUILD x\n'), ['unknown-instruction [BUILD]']);
    assert.deepEqual(found('# syntax=docker.io/docker/dockerfile-upstream:master\nFROM alpine:3.20\nBUILD x\n'), ['unknown-instruction [BUILD]']);
  });

  it('invalid-flag-value joins a flag written without its value to the word after it', () => {
    const copy = 'FROM alpine:3.20 AS build\nFROM alpine:3.20\nCOPY --from build /out /out\n';
    const result = only(copy, 'invalid-flag-value');
    assert.equal(result.fixes[0]?.title, 'Write --from=build');
    assert.equal(apply(copy, result.fixes[0]), 'FROM alpine:3.20 AS build\nFROM alpine:3.20\nCOPY --from=build /out /out\n');
    assert.deepEqual(found(apply(copy, result.fixes[0])), []);
    // A RUN's script is one argument: only its first word is the value.
    const run = 'FROM alpine:3.20\nRUN --network \thost wget -q https://example.com\n';
    assert.equal(apply(run, only(run, 'invalid-flag-value').fixes[0]), 'FROM alpine:3.20\nRUN --network=host wget -q https://example.com\n');
    // Not across a line break, nor when the flag without a value is not the last one (a flag follows it, no word).
    assert.deepEqual(only('FROM alpine:3.20\nCOPY --from \\\n  build /out /out\n', 'invalid-flag-value').fixes, []);
    assert.deepEqual(only('FROM alpine:3.20\nCOPY --chown --link a /b\n', 'invalid-flag-value').fixes, []);
    // Nor when nothing the instruction needs would be left after the word.
    assert.deepEqual(only('FROM --platform alpine:3.20\n', 'invalid-flag-value').fixes, []);
    assert.deepEqual(only('FROM alpine:3.20\nRUN --network host\n', 'invalid-flag-value').fixes, []);
  });

  it('a word meant as a missing flag value is not read as the image, a type or an extra argument', () => {
    // Without it: too-many-arguments on alpine:3.20, and the stage based on linux/amd64.
    assert.deepEqual(found('FROM --platform linux/amd64 alpine:3.20 AS build\n'), ['invalid-flag-value [--platform]']);
    assert.deepEqual(found('FROM --platform linux/amd64 alpine:3.20 AS 1st extra\n'), ['invalid-flag-value [--platform]', 'too-many-arguments [extra]']);
    assert.deepEqual(found('FROM --platform linux/amd64 alpine:3.20 AS 1st\n'), ['invalid-flag-value [--platform]', 'invalid-stage-name [1st]']);
    // Without it: unknown-healthcheck-type on 30s, whose fix would insert CMD before it.
    assert.deepEqual(found('FROM alpine:3.20\nHEALTHCHECK --interval 30s CMD true\n'), ['invalid-flag-value [--interval]']);
    const model = analyzeDockerfile('FROM --platform linux/amd64 golang:1.22 AS build\n');
    assert.equal(model.stages[0]?.name, 'build');
    assert.equal(model.ast.instructions[0]?.from?.image?.value, 'golang:1.22');
  });

  it('invalid-expansion underlines each word Docker cannot process, and only builder words', () => {
    const text = 'FROM alpine:3.20\nENV A="one B=2\nLABEL c=${d e=${f}\nCOPY ok "bad /srv/\nUSER "app\nRUN echo "shell\nCMD ["echo", "it\'s"]\n';
    const results = lint(text).filter((result) => result.code === 'invalid-expansion');
    assert.deepEqual(
      results.map((result) => [text.slice(result.range.start, result.range.end), result.message]),
      [
        // The quote is never closed, so the rest of the line is in the value.
        ['"one B=2', 'Docker cannot process "one B=2: unexpected end of statement while looking for matching double-quote'],
        ['${d', "Docker cannot process ${d: syntax error: missing '}'"],
        ['"bad', 'Docker cannot process "bad: unexpected end of statement while looking for matching double-quote'],
        ['"app', 'Docker cannot process "app: unexpected end of statement while looking for matching double-quote'],
      ],
    );
    // With the backtick escape, \" is no escaped quote; `" is.
    assert.deepEqual(found('# escape=`\nFROM alpine:3.20\nWORKDIR "C:\\app\\"\n'), []);
    assert.deepEqual(found('# escape=`\nFROM alpine:3.20\nLABEL a=`"quoted\n'), []);
    assert.deepEqual(found('# escape=`\nFROM alpine:3.20\nLABEL a=\\"quoted\n'), ['invalid-expansion [\\"quoted]']);
  });

  it('invalid-expansion closes or escapes a quote left open, whichever is likelier first, and only when the word then expands', () => {
    const fixes = (text: string) => only(text, 'invalid-expansion').fixes;
    const workdir = 'FROM alpine:3.20\nWORKDIR "/app\n';
    assert.deepEqual(fixes(workdir).map((fix) => apply(workdir, fix)), ['FROM alpine:3.20\nWORKDIR "/app"\n', 'FROM alpine:3.20\nWORKDIR \\"/app\n']);
    const copy = "FROM alpine:3.20\nCOPY it's.txt /srv/\n";
    assert.deepEqual(fixes(copy).map((fix) => apply(copy, fix)), ["FROM alpine:3.20\nCOPY it\\'s.txt /srv/\n", "FROM alpine:3.20\nCOPY it's.txt' /srv/\n"]);
    // Escaped, the quote would leave the blank to split the value in two (Docker's "can't find =").
    const env = 'FROM alpine:3.20\nENV GREETING="hello world\n';
    assert.deepEqual(fixes(env).map((fix) => apply(env, fix)), ['FROM alpine:3.20\nENV GREETING="hello world"\n']);
    for (const text of [workdir, copy, env]) for (const fix of fixes(text)) assert.deepEqual(found(apply(text, fix)), [], fix.title);
    // The escape directive's character escapes.
    const backtick = '# escape=`\nFROM alpine:3.20\nLABEL note=it\'s\n';
    assert.equal(apply(backtick, fixes(backtick)[0]), '# escape=`\nFROM alpine:3.20\nLABEL note=it`\'s\n');
    assert.deepEqual(fixes('FROM alpine:3.20\nLABEL v=${X\n'), []);
  });

  it('invalid-image-reference says why, and lower-cases a name that only has capitals wrong', () => {
    const text = 'FROM Node:22-Alpine AS build\n';
    const result = only(text, 'invalid-image-reference');
    assert.equal(text.slice(result.range.start, result.range.end), 'Node:22-Alpine');
    assert.equal(result.message, 'Docker cannot use Node:22-Alpine as an image: the repository path must be lowercase: "Node"');
    assert.equal(apply(text, result.fixes[0]), 'FROM node:22-Alpine AS build\n', 'the tag keeps its case');
    assert.deepEqual(only('FROM alpine:3.20:slim\n', 'invalid-image-reference').fixes, []);
    assert.match(only(`FROM alpine@sha256:${'a'.repeat(40)}\n`, 'invalid-image-reference').message, /sha256 takes 64 hexadecimal digits, not 40/);
    // A first component with capitals is a registry host to Docker.
    assert.deepEqual(found('FROM Registry/app:1\n'), []);
    // COPY --from= an image: checked alike, and a stage name (never ':', '@' or '/') left to DL3022.
    assert.deepEqual(found('FROM alpine:3.20\nCOPY --from=Nginx:1.27 /a /b\nCOPY --from=Builder /a /b\n'), ['invalid-image-reference [Nginx:1.27]']);
  });

  it('invalid-flag-value reads FROM --platform as containerd does', () => {
    const message = (platform: string) => only(`FROM --platform=${platform} alpine:3.20\n`, 'invalid-flag-value').message;
    assert.equal(message('lnux'), "--platform=lnux is not a platform Docker can read: 'lnux' is no operating system or architecture Docker knows (did you mean linux?): write os/arch, such as linux/amd64");
    assert.match(message('linux/arm64/v8/x'), /at most three parts/);
    assert.match(message('linux/amd.64'), /'amd.64' may hold only letters, digits/);
    assert.match(message('linux//v7'), /a part of it is empty/);
    // What containerd accepts, known or not: a lone OS or architecture (aliases too), any os/arch, an OS version.
    for (const platform of ['linux', 'arm64', 'x86_64', 'aarch64', 'macos', 'linux/arm/v7', 'plan9/riscv64', 'windows(10.0.20348)/amd64', 'myos/myarch', '$TARGETPLATFORM']) {
      assert.deepEqual(lint(`FROM --platform=${platform} alpine:3.20\n`).filter((result) => result.code === 'invalid-flag-value'), [], platform);
    }
  });

  it('missing-arguments underlines what is missing', () => {
    assert.deepEqual(found('FROM alpine:3.20\nCOPY --chown=app app.py\n'), ['missing-arguments [COPY --chown=app app.py]']);
    assert.deepEqual(found('FROM alpine:3.20 as\n'), ['missing-arguments [as]']);
    assert.deepEqual(found('FROM alpine:3.20\nARG =1\n'), ['missing-arguments [=1]']);
  });


  it('too-many-arguments fixes a misspelt AS in the FROM keyword case', () => {
    const text = 'from alpine:3.20 aa build\n';
    const result = only(text, 'too-many-arguments');
    assert.equal(apply(text, result.fixes[0]), 'from alpine:3.20 as build\n');
  });

  it('unknown-flag corrects the flag name and keeps its value', () => {
    const text = 'FROM alpine:3.20\nCOPY --FROM=build /out /out\n';
    const result = only(text, 'unknown-flag');
    assert.equal(text.slice(result.range.start, result.range.end), '--FROM');
    assert.equal(apply(text, result.fixes[0]), 'FROM alpine:3.20\nCOPY --from=build /out /out\n');
  });

  it('unknown-flag checks ONBUILD triggers, and ignores flags Docker never reads', () => {
    assert.deepEqual(found('FROM alpine:3.20\nONBUILD COPY --chmown=app . /app\n'), ['unknown-flag [--chmown]']);
    assert.deepEqual(found('FROM alpine:3.20\nHEALTHCHECK --whatever NONE\nSTOPSIGNAL --x SIGTERM\n'), []);
    assert.deepEqual(found('FROM alpine:3.20\nARG --required NAME\n'), []);
  });

  it('duplicate-flag removes an identical repeat', () => {
    const text = 'FROM alpine:3.20\nCOPY --link --chown=app --link src /app\n';
    const result = only(text, 'duplicate-flag');
    assert.equal(apply(text, result.fixes[0]), 'FROM alpine:3.20\nCOPY --link --chown=app src /app\n');
    assert.equal(only('FROM alpine:3.20\nCOPY --chown=a --chown=b src /app\n', 'duplicate-flag').fixes.length, 0);
  });

  it('invalid-network-mode fixes the case of a valid mode', () => {
    const text = 'FROM alpine:3.20\nRUN --network=HOST make\n';
    assert.equal(apply(text, only(text, 'invalid-network-mode').fixes[0]), 'FROM alpine:3.20\nRUN --network=host make\n');
  });

  it('invalid-mount underlines the offending option, across continuation lines', () => {
    const text = 'FROM alpine:3.20\nRUN --mount=type=cache,\\\ntarget=/c,sharing=all make\n';
    assert.deepEqual(found(text), ['invalid-mount [sharing=all]']);
    const quoted = 'FROM alpine:3.20\nRUN --mount="type=cache,target=/c,sharing=all" make\n';
    assert.deepEqual(found(quoted), ['invalid-mount ["type=cache,target=/c,sharing=all"]']);
  });

  it('invalid-mount: the type decides which options are allowed, in order', () => {
    assert.deepEqual(found('FROM alpine:3.20\nRUN --mount=type=ssh,mode=0600,uid=1,required make\n'), []);
    assert.deepEqual(found('FROM alpine:3.20\nRUN --mount=size=1g,type=tmpfs,target=/t make\n'), ['invalid-mount [size=1g]']);
    assert.match(only('FROM alpine:3.20\nRUN --mount=size=1g,type=tmpfs,target=/t make\n', 'invalid-mount').message, /put type=tmpfs before size/);
    assert.deepEqual(found('FROM alpine:3.20\nRUN --mount=type=tmpfs,target=/t,sharing=locked make\n'), ['invalid-mount [sharing=locked]']);
    assert.deepEqual(found('FROM alpine:3.20\nRUN --mount=type=secret,id=x,from=build make\n'), ['invalid-mount [from=build]']);
    assert.deepEqual(found('FROM alpine:3.20\nRUN --mount=type=secret,target=/run/secrets/x make\n'), []);
  });

  it('invalid-mount: variables are expanded when known and skipped when not', () => {
    assert.deepEqual(found('FROM alpine:3.20\nARG SHARING=exclusive\nRUN --mount=type=cache,target=/c,sharing=$SHARING make\n'), [
      'invalid-mount [sharing=$SHARING]',
    ]);
    assert.deepEqual(found('FROM alpine:3.20\nARG SHARING\nRUN --mount=type=cache,target=/c,sharing=$SHARING make\n'), []);
    assert.deepEqual(found('FROM alpine:3.20\nARG SHARING=exclusive\nONBUILD RUN --mount=type=cache,target=/c,sharing=$SHARING make\n'), []);
  });

  it('invalid-chmod and invalid-port expand known variables and skip unknown ones', () => {
    assert.deepEqual(found('FROM alpine:3.20\nARG MODE=0755\nCOPY --chmod=${MODE} a /a\n'), []);
    assert.deepEqual(found('FROM alpine:3.20\nENV PORTS="80 9x"\nEXPOSE $PORTS\n'), ['invalid-port [$PORTS]']);
    assert.match(only('FROM alpine:3.20\nENV PORTS="80 9x"\nEXPOSE $PORTS\n', 'invalid-port').message, /'\$PORTS' \(= '9x'\)/);
    assert.deepEqual(found('FROM alpine:3.20\nEXPOSE 65536 60000-70000\n'), [], 'out-of-range numbers are DL3011');
    assert.deepEqual(found('FROM node:22\nEXPOSE $PORT\n'), [], 'PORT may come from the base image');
  });

  it('invalid-port accepts host mappings and IP addresses as Docker does', () => {
    assert.deepEqual(found('FROM alpine:3.20\nEXPOSE 127.0.0.1:8080:80 [::1]:53:53/udp 8000-8001:9000-9001\n'), []);
    assert.deepEqual(found('FROM alpine:3.20\nEXPOSE 8000-8002:9000-9001\n'), ['invalid-port [8000-8002:9000-9001]']);
    assert.deepEqual(found('FROM alpine:3.20\nEXPOSE host:80:80\n'), ['invalid-port [host:80:80]']);
  });

  it('invalid-stop-signal suggests the closest signal', () => {
    assert.match(only('FROM alpine:3.20\nSTOPSIGNAL SIGTREM\n', 'invalid-stop-signal').message, /did you mean SIGTERM\?/);
  });

  it('unknown-healthcheck-type inserts CMD', () => {
    const text = 'FROM alpine:3.20\nHEALTHCHECK --interval=5s curl -f http://localhost/\n';
    assert.equal(apply(text, only(text, 'unknown-healthcheck-type').fixes[0]), 'FROM alpine:3.20\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/\n');
  });

  it('shell-requires-json rewrites words and single quotes as JSON', () => {
    const words = 'FROM alpine:3.20\nSHELL /bin/bash -o pipefail -c\n';
    assert.equal(apply(words, only(words, 'shell-requires-json').fixes[0]), 'FROM alpine:3.20\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\n');
    const quotes = "FROM alpine:3.20\nSHELL ['pwsh', '-Command']\n";
    assert.equal(apply(quotes, only(quotes, 'shell-requires-json').fixes[0]), 'FROM alpine:3.20\nSHELL ["pwsh", "-Command"]\n');
    assert.equal(only('FROM alpine:3.20\nSHELL bash -c "set -e"\n', 'shell-requires-json').fixes.length, 0);
  });

  it('invalid-json-exec-form is a warning that fixes single quotes over the whole array', () => {
    const text = "FROM alpine:3.20\nCMD ['node', 'server.js']\n";
    const result = only(text, 'invalid-json-exec-form');
    assert.equal(result.severity, 'warning');
    assert.equal(text.slice(result.range.start, result.range.end), "['node', 'server.js']");
    assert.equal(apply(text, result.fixes[0]), 'FROM alpine:3.20\nCMD ["node", "server.js"]\n');
    const health = "FROM alpine:3.20\nHEALTHCHECK CMD ['true']\n";
    assert.equal(apply(health, only(health, 'invalid-json-exec-form').fixes[0]), 'FROM alpine:3.20\nHEALTHCHECK CMD ["true"]\n');
  });

  it('invalid-json-exec-form leaves non-string elements to the parser', () => {
    const text = 'FROM alpine:3.20\nCMD ["sleep", 5]\n';
    assert.deepEqual(found(text), []);
    const run = runRules(analyzeDockerfile(text), SYNTAX_RULES, DEFAULT_LINT_SETTINGS);
    assert.deepEqual(run.results.map((result) => result.code), ['json-not-string-array']);
  });

  it('invalid-healthcheck-* ignore HEALTHCHECK NONE, whose options Docker never reads', () => {
    assert.deepEqual(found('FROM alpine:3.20\nHEALTHCHECK --interval=x --retries=y NONE\n'), []);
  });

  it('a clean multi-stage Dockerfile has no syntax findings', () => {
    const text = [
      '# syntax=docker/dockerfile:1',
      'ARG NODE=22',
      'FROM --platform=$BUILDPLATFORM node:${NODE}-alpine AS deps',
      'WORKDIR /app',
      'COPY --link package.json package-lock.json ./',
      'RUN --mount=type=cache,target=/root/.npm,sharing=locked \\',
      '    --mount=type=secret,id=npmrc,target=/root/.npmrc,required=true \\',
      '    npm ci',
      'FROM node:${NODE}-alpine',
      'ENV NODE_ENV=production PORT=3000',
      'COPY --from=deps --chown=node:node --chmod=u=rwX,go=rX /app/node_modules ./node_modules',
      'COPY --chown=node:node . .',
      'USER node',
      'EXPOSE ${PORT}/tcp',
      'STOPSIGNAL SIGINT',
      'HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["node", "healthcheck.js"]',
      'ONBUILD RUN echo "building on top"',
      'CMD ["node", "server.js"]',
      '',
    ].join('\n');
    assert.deepEqual(found(text), []);
  });
});
