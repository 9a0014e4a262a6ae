import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile } from '../../server/src/dockerfile';
import { DOCKERFILE_RULES } from '../../server/src/rules/dockerfile';
import { DockerignoreMatcher, readDockerignore } from '../../server/src/rules/dockerignore';
import { runRules, type LintResult } from '../../server/src/rules/runner';
import { DEFAULT_LINT_SETTINGS, type LintSettings } from '../../server/src/rules/settings';
import type { Fix } from '../../server/src/rules/types';

type Settings = Partial<LintSettings> & { dockerignore?: readonly string[] };

function results(id: string, text: string, settings: Settings = {}): LintResult[] {
  const rule = DOCKERFILE_RULES.find((candidate) => candidate.id === id);
  assert.ok(rule, `no rule ${id}`);
  const run = runRules(analyzeDockerfile(text), [rule], { ...DEFAULT_LINT_SETTINGS, ...settings } as LintSettings);
  assert.deepEqual(run.failures, [], `${id} threw`);
  return run.results;
}

/** Each finding as `line:underlined text`, 1-based lines. */
function found(id: string, text: string, settings: Settings = {}): string[] {
  return results(id, text, settings).map((result) => {
    const line = text.slice(0, result.range.start).split('\n').length;
    return `${line}:${text.slice(result.range.start, result.range.end)}`;
  });
}

function messages(id: string, text: string, settings: Settings = {}): string[] {
  return results(id, text, settings).map((result) => result.message);
}

function applyFix(text: string, fix: Fix | undefined): string {
  assert.ok(fix, 'expected a fix');
  let out = text;
  for (const edit of [...fix.edits].sort((a, b) => b.range.start - a.range.start)) {
    out = out.slice(0, edit.range.start) + edit.newText + out.slice(edit.range.end);
  }
  return out;
}

/** Applies the first fix of every finding, one finding at a time (re-linting in between). */
function fixAll(id: string, text: string): string {
  let current = text;
  for (let round = 0; round < 50; round++) {
    const fixable = results(id, current).find((result) => result.fixes.length > 0);
    if (!fixable) return current;
    current = applyFix(current, fixable.fixes[0]);
  }
  assert.fail('fixes do not converge');
}

describe('ConsistentInstructionCasing', () => {
  it('reports keywords that differ from the majority, uppercase on a tie', () => {
    assert.deepEqual(found('ConsistentInstructionCasing', 'From scratch as base\nFROM scratch AS base2\n'), ['1:From']);
    assert.deepEqual(found('ConsistentInstructionCasing', 'FROM scratch\ncopy Dockerfile /foo\nCOPY Dockerfile /bar\n'), ['2:copy']);
    assert.deepEqual(found('ConsistentInstructionCasing', 'frOM scratch as base\nfrom scratch as base2\n'), ['1:frOM']);
    assert.deepEqual(found('ConsistentInstructionCasing', 'from scratch\nCOPY a /a\nCOPY b /b\nCOPY c /c\n'), ['1:from']);
    assert.deepEqual(found('ConsistentInstructionCasing', 'FROM scratch\ncopy a /a\ncopy b /b\ncopy c /c\n'), ['1:FROM']);
    assert.deepEqual(found('ConsistentInstructionCasing', 'FROM scratch\nrun true\n'), ['2:run']);
    assert.match(messages('ConsistentInstructionCasing', 'FROM scratch\ncopy a /a\nCOPY b /b\n')[0]!, /'copy' should be uppercase/);
  });

  it('does not count or report ARGs before the first FROM', () => {
    assert.deepEqual(found('ConsistentInstructionCasing', 'arg A=1\narg B=2\narg C=3\nFROM scratch\nCOPY a /a\n'), []);
  });

  it('fixes every keyword to the majority casing', () => {
    assert.equal(fixAll('ConsistentInstructionCasing', 'FROM alpine:3.20\nrun echo hi\nRun echo ho\nCOPY . /app\nONBUILD run true\n'), 'FROM alpine:3.20\nRUN echo hi\nRUN echo ho\nCOPY . /app\nONBUILD run true\n');
  });
});

describe('StageNameCasing', () => {
  it('lowercases the stage name and its literal references', () => {
    const text = 'FROM alpine:3.20 AS Build\nRUN true\nFROM Build\nCOPY --from=Build /a /b\nRUN --mount=from=BUILD,target=/x true\n';
    assert.deepEqual(found('StageNameCasing', text), ['1:Build']);
    assert.equal(
      applyFix(text, results('StageNameCasing', text)[0]!.fixes[0]),
      'FROM alpine:3.20 AS build\nRUN true\nFROM build\nCOPY --from=build /a /b\nRUN --mount=from=build,target=/x true\n',
    );
  });
});

describe('NoEmptyContinuation', () => {
  it('reports the empty line once per instruction and removes empty lines', () => {
    const text = 'FROM scratch\nCOPY Dockerfile \\\n\n  \\\n   \n.\nCOPY Dockerfile \\\n.\n';
    const [result] = results('NoEmptyContinuation', text);
    assert.equal(results('NoEmptyContinuation', text).length, 1);
    assert.equal(text.slice(0, result!.range.start).split('\n').length, 3);
    assert.equal(applyFix(text, result!.fixes[0]), 'FROM scratch\nCOPY Dockerfile \\\n  \\\n.\nCOPY Dockerfile \\\n.\n');
  });

  it('handles CRLF line ends', () => {
    const text = 'FROM scratch\r\nRUN a \\\r\n\r\n  b\r\n';
    assert.equal(applyFix(text, results('NoEmptyContinuation', text)[0]!.fixes[0]), 'FROM scratch\r\nRUN a \\\r\n  b\r\n');
  });
});

describe('ExposeProtoCasing and ExposeInvalidFormat', () => {
  it('underlines and lowercases the protocol', () => {
    const text = 'FROM scratch\nEXPOSE 80/TCP 53/udp\n';
    assert.deepEqual(found('ExposeProtoCasing', text), ['2:TCP']);
    assert.equal(applyFix(text, results('ExposeProtoCasing', text)[0]!.fixes[0]), 'FROM scratch\nEXPOSE 80/tcp 53/udp\n');
    assert.deepEqual(found('ExposeProtoCasing', 'FROM scratch\nARG P=80/UDP\nEXPOSE $P\n'), ['3:$P']);
    assert.equal(results('ExposeProtoCasing', 'FROM scratch\nARG P=80/UDP\nEXPOSE $P\n')[0]!.fixes.length, 0);
  });

  it('reports IP addresses and host ports, also after expansion', () => {
    assert.deepEqual(found('ExposeInvalidFormat', 'FROM alpine\nEXPOSE 127.0.0.1:80:80\nEXPOSE 80:80 [::1]:8080:8080/udp 90\n'), ['2:127.0.0.1:80:80', '3:80:80', '3:[::1]:8080:8080/udp']);
    assert.deepEqual(found('ExposeInvalidFormat', 'FROM scratch\nARG MAP=8080:80\nEXPOSE ${MAP}\n'), ['3:${MAP}']);
    assert.match(messages('ExposeInvalidFormat', 'FROM alpine\nEXPOSE 127.0.0.1:80:80\n')[0]!, /IP address 127\.0\.0\.1 and host port 80.*container port, here 80/);
  });
});

describe('LegacyKeyValueFormat', () => {
  const envValues = (text: string) => analyzeDockerfile(text).stages.flatMap((stage) => stage.env.map((binding) => `${binding.name}=${binding.value}`));

  it('reports ENV and LABEL in the legacy form', () => {
    assert.deepEqual(found('LegacyKeyValueFormat', 'FROM scratch\nENV testkey value\nLABEL key value\n'), ['2:testkey value', '3:key value']);
    assert.deepEqual(found('LegacyKeyValueFormat', 'FROM scratch\nENV testkey=value\nLABEL key=value\n'), []);
  });

  for (const [legacy, fixed] of [
    ['ENV testkey value', 'ENV testkey=value'],
    ['ENV GREETING hello   big world', 'ENV GREETING="hello   big world"'],
    ['ENV QUOTED "hello world"', 'ENV QUOTED="hello world"'],
    ['ENV MIXED a "b c" d', 'ENV MIXED=a\\ "b c"\\ d'],
    ['ENV PATH /opt/bin:$PATH', 'ENV PATH=/opt/bin:$PATH'],
  ] as const) {
    it(`rewrites ${legacy} keeping its value`, () => {
      const text = `FROM scratch\n${legacy}\n`;
      const after = applyFix(text, results('LegacyKeyValueFormat', text)[0]!.fixes[0]);
      assert.equal(after, `FROM scratch\n${fixed}\n`);
      assert.deepEqual(envValues(after), envValues(text));
      assert.deepEqual(found('LegacyKeyValueFormat', after), []);
    });
  }

  it('offers no fix for a pair continued over lines, a quoted key or an open quote', () => {
    for (const text of ['FROM scratch\nENV key \\\n  value\n', 'FROM scratch\nLABEL "my key" value\n', 'FROM scratch\nENV key "open value\n']) {
      const [result] = results('LegacyKeyValueFormat', text);
      assert.equal(result!.fixes.length, 0, text);
    }
  });
});

describe('DL3065 (BuildKit: RedundantTargetPlatform)', () => {
  it('reports $TARGETPLATFORM alone and removes the flag', () => {
    const text = 'FROM --platform=$TARGETPLATFORM scratch\n';
    assert.deepEqual(found('DL3065', text), ['1:--platform=$TARGETPLATFORM']);
    assert.equal(applyFix(text, results('DL3065', text)[0]!.fixes[0]), 'FROM scratch\n');
    assert.match(messages('DL3065', 'FROM --platform=${TARGETPLATFORM} scratch\n')[0]!, /\$\{TARGETPLATFORM\}/);
    assert.deepEqual(found('DL3065', 'ARG TARGETPLATFORM=linux/arm64\nFROM --platform=$TARGETPLATFORM scratch\n'), ['2:--platform=$TARGETPLATFORM']);
  });

  it('leaves other expressions alone', () => {
    assert.deepEqual(found('DL3065', 'FROM --platform=$BUILDPLATFORM scratch\n'), []);
    assert.deepEqual(found('DL3065', 'FROM --platform=linux/$TARGETPLATFORM scratch\n'), []);
    assert.deepEqual(found('DL3065', 'ARG X\nFROM --platform=${TARGETPLATFORM}${X} scratch\n'), []);
  });
});

describe('InvalidDefaultArgInFrom', () => {
  it('follows BuildKit on the defaults of global ARGs', () => {
    assert.deepEqual(found('InvalidDefaultArgInFrom', 'ARG VERSION\nFROM busybox:$VERSION\n'), ['2:busybox:$VERSION']);
    assert.deepEqual(found('InvalidDefaultArgInFrom', 'ARG IMAGE\nFROM $IMAGE\n'), ['2:$IMAGE']);
    assert.deepEqual(found('InvalidDefaultArgInFrom', 'ARG SFX="box:"\nFROM busy${SFX}\n'), ['2:busy${SFX}']);
    assert.deepEqual(found('InvalidDefaultArgInFrom', 'ARG VERSION="latest"\nFROM busybox:${VERSION}\n'), []);
    assert.deepEqual(found('InvalidDefaultArgInFrom', 'ARG BUSYBOX_VARIANT=""\nFROM busybox:stable${BUSYBOX_VARIANT}\n'), []);
    assert.deepEqual(found('InvalidDefaultArgInFrom', 'ARG BUSYBOX_VARIANT\nFROM busybox:stable${BUSYBOX_VARIANT}\n'), []);
    assert.deepEqual(found('InvalidDefaultArgInFrom', 'ARG NAME=Alpine\nFROM ${NAME}\n'), ['2:${NAME}'], 'uppercase repository');
    assert.deepEqual(found('InvalidDefaultArgInFrom', 'FROM golang:1.23-${TARGETARCH}\n'), [], 'platform ARGs are not known here');
    assert.match(messages('InvalidDefaultArgInFrom', 'ARG IMAGE\nFROM $IMAGE\n')[0]!, /empty image name/);
  });
});

describe('UndefinedArgInFrom', () => {
  it('follows BuildKit', () => {
    for (const text of [
      'ARG base=scratch\nFROM $base\n',
      'ARG BUILDPLATFORM=linux/amd64\nFROM --platform=$BUILDPLATFORM scratch\n',
      'FROM --platform=$BUILDPLATFORM scratch\n',
      'ARG DEBUG\nFROM scratch${DEBUG}\n',
      'ARG DEBUG\nFROM scra${DEBUG:-tch}\n',
      'ARG DEBUG=""\nFROM scratch${DEBUG-@bogus}\n',
      'FROM alpine:$TARGETSTAGE\n',
    ]) {
      assert.deepEqual(found('UndefinedArgInFrom', text), [], text);
    }
    assert.deepEqual(messages('UndefinedArgInFrom', 'FROM --platform=$BULIDPLATFORM scratch\n'), [
      "FROM uses 'BULIDPLATFORM', which is not declared with ARG before the first FROM (did you mean BUILDPLATFORM?)",
    ]);
    assert.match(messages('UndefinedArgInFrom', 'ARG MY_OS=linux\nARG MY_ARCH=amd64\nFROM --platform=linux/${MYARCH} busybox\n')[0]!, /'MYARCH'.*did you mean MY_ARCH\?/);
    assert.deepEqual(found('UndefinedArgInFrom', 'ARG tag=latest\nFROM busybox:${tag}${version} AS b\n'), ['2:${version}']);
    assert.doesNotMatch(messages('UndefinedArgInFrom', 'ARG tag=latest\nFROM busybox:${tag}${version} AS b\n')[0]!, /did you mean/);
  });

  it('does not count ARGs declared inside a stage', () => {
    assert.deepEqual(found('UndefinedArgInFrom', 'FROM alpine AS a\nARG V=1\nFROM alpine:$V\n'), ['3:$V']);
  });
});

describe('UndefinedVar', () => {
  const quiet = (text: string) => assert.deepEqual(found('UndefinedVar', text), [], text);

  it('follows BuildKit', () => {
    quiet('FROM scratch\nARG foo\nCOPY Dockerfile${foo} .\n');
    quiet('FROM alpine AS base\nARG foo=Dockerfile\n\nFROM base\nCOPY $foo .\n');
    quiet('FROM alpine\nRUN echo $PATH\n');
    assert.deepEqual(found('UndefinedVar', 'FROM alpine\nCOPY $foo .\nARG foo=bar\nRUN echo $foo\n'), ['2:$foo']);
    assert.match(messages('UndefinedVar', 'FROM alpine\nARG DIR_BINARIES=binaries/\nARG DIR_ASSETS=assets/\nARG DIR_CONFIG=config/\nCOPY $DIR_ASSET .\n')[0]!, /\$DIR_ASSET .*did you mean \$DIR_ASSETS\?/);
    assert.match(messages('UndefinedVar', 'FROM alpine\nENV PATH=$PAHT:/tmp/bin\n')[0]!, /\$PAHT .*did you mean \$PATH\?/);
    assert.deepEqual(found('UndefinedVar', 'FROM scratch AS first\nCOPY $foo .\n\nFROM scratch AS second\nCOPY $bar .\n'), ['2:$foo', '5:$bar']);
  });

  it('scopes global and platform ARGs to FROM unless redeclared', () => {
    assert.deepEqual(found('UndefinedVar', 'ARG VERSION=1\nFROM alpine\nCOPY app-$VERSION.tar /\n'), ['3:$VERSION']);
    assert.match(messages('UndefinedVar', 'ARG VERSION=1\nFROM alpine\nCOPY app-$VERSION.tar /\n')[0]!, /global ARG VERSION must be redeclared/);
    quiet('ARG VERSION=1\nFROM alpine\nARG VERSION\nCOPY app-$VERSION.tar /\n');
    assert.deepEqual(found('UndefinedVar', 'FROM alpine\nWORKDIR /src/${TARGETARCH}\n'), ['2:${TARGETARCH}']);
    quiet('FROM alpine\nARG TARGETARCH\nWORKDIR /src/${TARGETARCH}\n');
    assert.deepEqual(found('UndefinedVar', 'FROM alpine\nENV P=$HTTP_PROXY\n'), ['2:$HTTP_PROXY'], 'proxies are not in the environment of the builder');
  });

  it('expands all values of an ENV before setting them, ARGs one by one', () => {
    // The same problem as DL3044's, reported once under the hadolint code.
    assert.deepEqual(found('DL3044', 'FROM scratch\nENV A=1 B=$A\n'), ['2:$A']);
    assert.deepEqual(found('UndefinedVar', 'FROM scratch\nENV A=1 B=$A\n'), []);
    quiet('FROM scratch\nARG A=1 B=$A\n');
    quiet('FROM scratch\nENV A=1\nENV B=$A\n');
  });

  it('checks only what the builder expands', () => {
    quiet('FROM scratch\nRUN echo $X && echo ${Y:-z}\nCMD echo $X\nENTRYPOINT echo $X\nHEALTHCHECK CMD echo $X\nEXPOSE $PORT\nONBUILD COPY $X /\n');
    quiet('FROM scratch\nCOPY --chmod=$MODE --from=$STAGE a /\n');
    quiet("FROM scratch\nCOPY <<'EOF' /a\n$Z\nEOF\n");
    quiet('FROM scratch\nCOPY $BUILDKIT_SBOM_SCAN_STAGE /\n');
    quiet("FROM scratch\nCOPY '$literal' \\$escaped /\n");
    assert.deepEqual(found('UndefinedVar', 'FROM scratch\nCOPY --chown=$OWNER a /\nRUN --mount=type=cache,target=$CACHE true\n'), ['2:$OWNER', '3:$CACHE']);
    assert.deepEqual(found('UndefinedVar', 'FROM scratch\nCOPY <<EOF /a\n$Z\nEOF\n'), ['3:$Z']);
    assert.deepEqual(found('UndefinedVar', 'FROM scratch\nLABEL $K=${V:-x}\nUSER $U\nVOLUME $D\nSTOPSIGNAL $S\nARG A=$B\n'), ['2:$K', '2:${V:-x}', '3:$U', '4:$D', '5:$S', '6:$B']);
    assert.deepEqual(found('UndefinedVar', 'FROM scratch\nENV A=${B:-$C}\n'), ['2:${B:-$C}', '2:$C'], 'names inside default values are looked up too');
  });

  it('assumes names found nowhere in the file may come from a base image', () => {
    quiet('FROM python:3.12\nCOPY requirements.txt $PYTHON_HOME/\n');
    quiet('FROM golang:1.23 AS build\nWORKDIR $GOPATH/src/app\nFROM build\nCOPY . $GOPATH/src/app\n');
    assert.deepEqual(found('UndefinedVar', 'FROM scratch\nCOPY a $GOPATH/\n'), ['2:$GOPATH'], 'scratch has no environment');
  });
});

describe('InvalidDefinitionDescription', () => {
  it('is off unless the check directive enables it', () => {
    assert.deepEqual(found('InvalidDefinitionDescription', '# not the name\nFROM scratch AS base\n'), []);
  });

  it('follows BuildKit', () => {
    const good = '# check=experimental=InvalidDefinitionDescription\n# foo this is the foo\nARG foo=bar\n\n# base this is the base image\nFROM scratch AS base\n\n# version this is the version number\nARG version=latest\n\n# baz this is the baz\nARG foo=baz bar=qux baz=quux\n#\nARG bit=bat\n\n# comment for something other than ARG or FROM\nCOPY Dockerfile .\n';
    assert.deepEqual(found('InvalidDefinitionDescription', good), []);
    const bad = '# check=experimental=InvalidDefinitionDescription\n# bar this is the bar\nARG foo=bar\n# BasE this is the BasE image\nFROM scratch AS base\n# definitely a bad comment\nARG version=latest\n# definitely a bad comment\nARG foo=baz bar=qux baz=quux\n';
    assert.deepEqual(found('InvalidDefinitionDescription', bad), [
      '2:# bar this is the bar',
      '4:# BasE this is the BasE image',
      '6:# definitely a bad comment',
      '8:# definitely a bad comment',
    ]);
    assert.match(messages('InvalidDefinitionDescription', bad)[3]!, /"# <arg name> <description>"/);
  });
});

describe('CopyIgnoredFile', () => {
  const dockerignore = ['Dockerfile'];
  it('is off unless the check directive enables it', () => {
    assert.deepEqual(found('CopyIgnoredFile', 'FROM scratch\nCOPY Dockerfile .\n', { dockerignore }), []);
  });

  it('follows BuildKit', () => {
    const text = '# check=experimental=CopyIgnoredFile\nFROM scratch\nCOPY Dockerfile .\nADD Dockerfile /windy\n';
    assert.deepEqual(found('CopyIgnoredFile', text, { dockerignore }), ['3:Dockerfile', '4:Dockerfile']);
    assert.deepEqual(messages('CopyIgnoredFile', text, { dockerignore }), [
      'COPY source "Dockerfile" is excluded by .dockerignore, so it is not in the build context',
      'ADD source "Dockerfile" is excluded by .dockerignore, so it is not in the build context',
    ]);
    assert.deepEqual(found('CopyIgnoredFile', text), [], 'no .dockerignore known');
    const stages = '# check=experimental=CopyIgnoredFile\nFROM scratch AS base\nCOPY Dockerfile /foobar\nADD Dockerfile /windy\n\nFROM base\nCOPY --from=base /foobar /Dockerfile\n';
    assert.deepEqual(found('CopyIgnoredFile', stages, { dockerignore: ['foobar'] }), []);
  });

  it('runs its documented examples with the .dockerignore they assume', () => {
    const rule = DOCKERFILE_RULES.find((candidate) => candidate.id === 'CopyIgnoredFile') as (typeof DOCKERFILE_RULES)[number] & { exampleSettings: Settings };
    for (const example of rule.examples.fire) assert.ok(found('CopyIgnoredFile', example, rule.exampleSettings).length > 0, example);
    for (const example of rule.examples.pass) assert.deepEqual(found('CopyIgnoredFile', example, rule.exampleSettings), [], example);
  });

  it('expands variables, skips URLs and heredocs', () => {
    const text = '# check=experimental=all\nFROM scratch\nARG DIR=secrets\nCOPY $DIR/key <<EOF /etc/\nhello\nEOF\nADD https://example.com/secrets/key /k\n';
    assert.deepEqual(found('CopyIgnoredFile', text, { dockerignore: ['secrets'] }), ['4:$DIR/key']);
  });
});

describe('.dockerignore matching', () => {
  const excludes = (patterns: string[], path: string) => new DockerignoreMatcher(patterns).excludes(path);

  it('reads the file like Docker', () => {
    assert.deepEqual(readDockerignore('\uFEFF# comment\n  node_modules/  \n\n/build\n! /dist/keep\n./a/../b/\n #not a comment\n'), ['node_modules', 'build', '!dist/keep', 'b', '#not a comment']);
  });

  it('matches like Docker', () => {
    assert.ok(excludes(['*.log'], 'app.log'));
    assert.ok(!excludes(['*.log'], 'logs/app.log'), '* does not cross directories');
    assert.ok(excludes(['**/*.log'], 'logs/deep/app.log'));
    assert.ok(excludes(['**/*.log'], 'app.log'), '**/ matches zero directories');
    assert.ok(excludes(['tmp'], 'tmp/a/b.txt'), 'a parent directory match excludes its content');
    assert.ok(excludes(['tmp/'], './tmp/a.txt'));
    assert.ok(excludes(['/tmp'], '/tmp/a.txt'));
    assert.ok(excludes(['docs/**'], 'docs/a/b.md'));
    assert.ok(!excludes(['docs/**'], 'docs'), 'docs/** leaves the directory itself');
    assert.ok(excludes(['file?.txt'], 'file1.txt'));
    assert.ok(!excludes(['file?.txt'], 'file/.txt'));
    assert.ok(excludes(['[a-c].txt'], 'b.txt'));
    assert.ok(excludes(['a+b(c).txt'], 'a+b(c).txt'), 'regexp characters are literal');
    assert.ok(excludes(['\\*.txt'], '*.txt'));
    assert.ok(!excludes(['\\*.txt'], 'a.txt'));
    assert.ok(excludes(['*/tmp/*'], 'x/tmp/a.txt'));
    assert.ok(!excludes(['*/tmp/*'], './tmp/a.txt'), 'paths are cleaned first');
  });

  it('applies exceptions in order', () => {
    assert.ok(!excludes(['*.md', '!README.md'], 'README.md'));
    assert.ok(excludes(['*.md', '!README.md'], 'CHANGELOG.md'));
    assert.ok(excludes(['*.md', '!README.md', 'README*'], 'README.md'), 'the last matching pattern wins');
    assert.ok(!excludes(['tmp', '!tmp/keep.txt'], 'tmp/keep.txt'));
    assert.ok(excludes(['tmp', '!tmp/keep.txt'], 'tmp/other.txt'));
    assert.ok(!excludes(['!README.md'], 'README.md'));
  });

  it('survives malformed patterns', () => {
    assert.ok(!excludes(['[', '!'], 'a'));
    assert.ok(excludes(['[', 'a'], 'a'));
  });
});
