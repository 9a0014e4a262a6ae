// Rules DL3021–DL3045: exact ranges, messages, quick-fix results, and the cases the
// generic example test cannot express (settings, several findings in one file).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile } from '../../server/src/dockerfile';
import { DOCKERFILE_RULES } from '../../server/src/rules/dockerfile';
import { runRules, type LintResult } from '../../server/src/rules/runner';
import { DEFAULT_LINT_SETTINGS, type LintSettings } from '../../server/src/rules/settings';

function lint(code: string, text: string, settings: Partial<LintSettings> = {}): LintResult[] {
  const rule = DOCKERFILE_RULES.find((candidate) => candidate.id === code);
  assert.ok(rule, `${code} is not registered`);
  const run = runRules(analyzeDockerfile(text), [rule], { ...DEFAULT_LINT_SETTINGS, ...settings });
  assert.deepEqual(run.failures, [], `${code} threw`);
  return run.results;
}

/** The underlined text of each finding. */
const flagged = (code: string, text: string, settings: Partial<LintSettings> = {}) =>
  lint(code, text, settings).map((result) => text.slice(result.range.start, result.range.end));

/** The text after applying the first fix of the finding at `index`. */
function fixed(code: string, text: string, index = 0): string {
  const result = lint(code, text)[index];
  assert.ok(result, `${code} should fire on:\n${text}`);
  const fix = result.fixes[0];
  assert.ok(fix, `${code} should offer a fix on:\n${text}`);
  let out = text;
  for (const edit of [...fix.edits].sort((a, b) => b.range.start - a.range.start)) {
    out = out.slice(0, edit.range.start) + edit.newText + out.slice(edit.range.end);
  }
  return out;
}

const noFix = (code: string, text: string) => assert.deepEqual(lint(code, text).map((result) => result.fixes.length), [0]);

describe('DL3021 COPY with several sources', () => {
  it('underlines the destination and adds the slash', () => {
    assert.deepEqual(flagged('DL3021', 'FROM a\nCOPY x y /app\n'), ['/app']);
    assert.equal(fixed('DL3021', 'FROM a\nCOPY x y /app\n'), 'FROM a\nCOPY x y /app/\n');
    assert.equal(fixed('DL3021', 'FROM a\nCOPY ["x", "y", "/app"]\n'), 'FROM a\nCOPY ["x", "y", "/app/"]\n');
  });

  it('counts here-documents as sources and reads ONBUILD triggers', () => {
    assert.deepEqual(flagged('DL3021', 'FROM a\nCOPY <<A <<B /etc\nA\nB\n'), ['/etc']);
    assert.deepEqual(flagged('DL3021', 'FROM a\nONBUILD COPY x y dir\n'), ['dir']);
  });

  it('expands variables, and offers no fix for a quoted word', () => {
    assert.deepEqual(flagged('DL3021', 'FROM a\nARG D=/opt\nCOPY x y $D\n'), ['$D']);
    assert.deepEqual(flagged('DL3021', 'FROM a\nARG D=/opt/\nCOPY x y $D\n'), []);
    assert.deepEqual(flagged('DL3021', 'FROM a\nCOPY x y $UNKNOWN\n'), []);
    noFix('DL3021', 'FROM a\nCOPY x y "/app"\n');
  });
});

describe('a word meant as a flag\'s missing value is no source', () => {
  it('DL3021 counts the sources after it, DL3020 does not read it as a local file', () => {
    assert.deepEqual(flagged('DL3021', 'FROM a\nCOPY --from build /out /out\n'), []);
    assert.deepEqual(flagged('DL3021', 'FROM a\nCOPY --from build /a /b /out\n'), ['/out']);
    // A boolean flag takes no value: the word after it is a source.
    assert.deepEqual(flagged('DL3021', 'FROM a\nCOPY --link build /out /out\n'), ['/out']);
    assert.equal(lint('DL3020', 'FROM a\nADD --chown app https://example.com/t.tar.gz /tmp/\n').length, 0);
    assert.equal(lint('DL3020', 'FROM a\nADD --chown app conf/ /etc/app/\n').length, 1);
  });
});

describe('DL3022 / DL3023 / DL3024 stages', () => {
  it('DL3022 underlines the --from value and says why', () => {
    const text = 'FROM a AS build\nFROM b\nCOPY --from=biuld /x /y\nCOPY --from=later /x /y\nCOPY --from=5 /x /y\nFROM c AS later\n';
    assert.deepEqual(flagged('DL3022', text), ['biuld', 'later', '5']);
    const [typo, later, index] = lint('DL3022', text);
    assert.match(typo!.message, /does not name a stage defined earlier/);
    assert.match(later!.message, /defined later/);
    assert.match(index!.message, /no stage 5/);
  });

  it('DL3022 leaves images, own-stage references and unknown values alone', () => {
    assert.deepEqual(flagged('DL3022', 'FROM a\nCOPY --from=docker.io/library/nginx /x /y\nCOPY --from=nginx@sha256:abc /x /y\n'), []);
    assert.deepEqual(flagged('DL3022', 'FROM a AS self\nCOPY --from=self /x /y\n'), []);
    assert.deepEqual(flagged('DL3022', 'FROM a\nARG SRC\nCOPY --from=$SRC /x /y\n'), []);
    // Docker does not expand --from: a variable there fails the build whatever its value (invalid-flag-value says so, once).
    assert.deepEqual(flagged('DL3022', 'FROM a\nARG SRC=nowhere\nCOPY --from=${SRC} /x /y\n'), []);
    assert.deepEqual(flagged('DL3022', 'FROM a\nCOPY --from=0 /x /y\n'), [], 'its own index is DL3023\'s');
    assert.deepEqual(flagged('DL3022', 'FROM a\nONBUILD COPY --from=nowhere /x /y\n'), []);
  });

  it('DL3023 flags a stage copying from itself, by name (any case) or index', () => {
    assert.deepEqual(flagged('DL3023', 'FROM a AS web\nCOPY --from=WEB /x /y\n'), ['WEB']);
    assert.deepEqual(flagged('DL3023', 'FROM a\nFROM b\nCOPY --from=1 /x /y\nCOPY --from=0 /x /y\n'), ['1']);
  });

  it('DL3024 underlines each repeated name, answers to DuplicateStageName', () => {
    assert.deepEqual(flagged('DL3024', 'FROM a AS x\nFROM b AS y\nFROM c AS X\nFROM d AS x\n'), ['X', 'x']);
    assert.deepEqual(lint('DL3024', '# check=skip=DuplicateStageName\nFROM a AS x\nFROM b AS x\n'), []);
  });
});

describe('DL3025 JSON notation for CMD and ENTRYPOINT', () => {
  it('rewrites plain commands in JSON form', () => {
    assert.equal(fixed('DL3025', 'FROM a\nCMD node server.js --port 80\n'), 'FROM a\nCMD ["node", "server.js", "--port", "80"]\n');
    assert.equal(fixed('DL3025', 'FROM a\nENTRYPOINT exec nginx -g "daemon off;"\n'), 'FROM a\nENTRYPOINT ["nginx", "-g", "daemon off;"]\n');
    assert.equal(fixed('DL3025', "FROM a\nCMD echo 'say \"hi\"' \\\n  done\n"), 'FROM a\nCMD ["echo", "say \\"hi\\"", "done"]\n');
    assert.equal(fixed('DL3025', 'FROM a\nONBUILD CMD ./run\n'), 'FROM a\nONBUILD CMD ["./run"]\n');
  });

  it('reports but does not rewrite what needs a shell', () => {
    for (const command of ['echo $HOME', 'ls *.txt', 'a && b', 'cd /srv', 'x > log', 'A=1 run', 'exec', 'echo ~/x', '["a", b]']) {
      noFix('DL3025', `FROM a\nCMD ${command}\n`);
    }
    noFix('DL3025', 'FROM a\nSHELL ["pwsh", "-Command"]\nCMD Write-Host hi\n');
    noFix('DL3025', 'FROM a\nCMD run \\\n# note\n  now\n');
  });

  it('answers to JSONArgsRecommended', () => {
    assert.deepEqual(lint('DL3025', '# check=skip=JSONArgsRecommended\nFROM a\nCMD run\n'), []);
  });
});

describe('DL3026 trusted registries', () => {
  const trusted = (trustedRegistries: string[]) => ({ trustedRegistries });

  it('reports nothing without a list', () => {
    assert.deepEqual(flagged('DL3026', 'FROM evil.example.org/x:1\n'), []);
  });

  it('checks the registry of each external FROM image', () => {
    const text = 'FROM random.com/debian:12 AS a\nFROM ubuntu:24.04\nFROM docker.io/library/ubuntu:24.04\nFROM localhost:5000/x\nFROM a\nFROM scratch\n';
    assert.deepEqual(flagged('DL3026', text, trusted(['random.com'])), ['ubuntu:24.04', 'docker.io/library/ubuntu:24.04', 'localhost:5000/x']);
    assert.deepEqual(flagged('DL3026', text, trusted(['docker.io'])), ['random.com/debian:12', 'localhost:5000/x']);
    assert.deepEqual(flagged('DL3026', text, trusted(['hub.docker.com', 'random.com', 'localhost:5000'])), ['docker.io/library/ubuntu:24.04']);
  });

  it('supports * wildcards', () => {
    assert.deepEqual(flagged('DL3026', 'FROM foo.random.com/x:1\nFROM x.com/y:1\n', trusted(['*.random.com'])), ['x.com/y:1']);
    assert.deepEqual(flagged('DL3026', 'FROM foo.random.com/x:1\nFROM y:1\n', trusted(['*'])), []);
  });

  it('expands global ARGs and skips unknown images', () => {
    assert.deepEqual(flagged('DL3026', 'ARG BASE=ghcr.io/acme/x:1\nFROM $BASE\nARG OTHER\nFROM ${OTHER}\n', trusted(['registry.example.com'])), ['$BASE']);
  });
});

describe('DL3027 apt', () => {
  it('underlines apt and swaps the program when the subcommand matches', () => {
    assert.deepEqual(flagged('DL3027', 'FROM a\nRUN apt list --installed\n'), ['apt']);
    assert.equal(fixed('DL3027', 'FROM a\nRUN sudo /usr/bin/apt install -y curl\n'), 'FROM a\nRUN sudo /usr/bin/apt-get install -y curl\n');
    assert.equal(fixed('DL3027', 'FROM a\nRUN apt -o Debug=1 show curl\n'), 'FROM a\nRUN apt-cache -o Debug=1 show curl\n');
    noFix('DL3027', 'FROM a\nRUN apt upgrade -y\n');
  });
});

describe('DL3028 gem', () => {
  it('underlines each unpinned gem', () => {
    assert.deepEqual(flagged('DL3028', 'FROM a\nRUN gem install -N rails rake:13 --bindir /b puma -- --with-ssl foo\n'), ['rails', 'puma']);
  });
});

describe('DL3029 FROM --platform', () => {
  it('underlines the flag', () => {
    assert.deepEqual(flagged('DL3029', 'FROM --platform=linux/amd64 a\nFROM --platform=$BUILDPLATFORM b\nARG P=linux/arm64\nFROM --platform=$P c\n'), [
      '--platform=linux/amd64',
      '--platform=$P',
    ]);
  });
});

describe('yum: DL3030 / DL3032 / DL3033', () => {
  it('DL3030 adds -y after the subcommand', () => {
    assert.equal(fixed('DL3030', 'FROM a\nRUN yum install x-1\n'), 'FROM a\nRUN yum install -y x-1\n');
    assert.equal(fixed('DL3030', 'FROM a\nRUN yum -q group install "Dev Tools"\n'), 'FROM a\nRUN yum -q group install -y "Dev Tools"\n');
    assert.deepEqual(flagged('DL3030', 'FROM a\nRUN yum -e 1 -y install x && yum --assumeyes install y && yum update\n'), []);
  });

  it('DL3032 wants a clean after the last install', () => {
    assert.deepEqual(flagged('DL3032', 'FROM a\nRUN yum install -y a-1 && yum clean all && yum install -y b-1\n'), ['yum install']);
    assert.deepEqual(flagged('DL3032', 'FROM a\nRUN yum install -y a-1 && yum clean packages\n'), ['yum install']);
    assert.deepEqual(flagged('DL3032', 'FROM a\nRUN yum install -y a-1 && rm -rf /var/cache/yum/*\n'), []);
    assert.deepEqual(flagged('DL3032', 'FROM a\nRUN --mount=type=tmpfs,target=/var/cache/yum yum install -y a-1\n'), []);
    assert.deepEqual(flagged('DL3032', 'FROM a\nONBUILD RUN yum install -y a-1\n'), ['yum install']);
  });

  it('DL3033 underlines each unpinned package or module', () => {
    assert.deepEqual(flagged('DL3033', 'FROM a\nRUN yum install -y httpd php-7.4 rpm-sign $EXTRA @core ./x.rpm\n'), ['httpd', 'rpm-sign']);
    assert.deepEqual(flagged('DL3033', 'FROM a\nRUN yum module install -y php nodejs:18\n'), ['php']);
  });
});

describe('zypper: DL3034 / DL3035 / DL3036 / DL3037', () => {
  it('DL3034 adds -n after zypper', () => {
    assert.equal(fixed('DL3034', 'FROM a\nRUN zypper install x=1\n'), 'FROM a\nRUN zypper -n install x=1\n');
    assert.deepEqual(flagged('DL3034', 'FROM a\nRUN zypper si x && zypper patch && zypper refresh\n'), ['zypper si', 'zypper patch']);
  });

  it('DL3035 underlines dist-upgrade', () => {
    assert.deepEqual(flagged('DL3035', 'FROM a\nRUN zypper -n dup && zypper -n up x\n'), ['dup']);
  });

  it('DL3036 wants a clean after the last install', () => {
    assert.deepEqual(flagged('DL3036', 'FROM a\nRUN zypper -n in x=1 && zypper cc && zypper -n in y=1\n'), ['zypper -n in']);
    assert.deepEqual(flagged('DL3036', 'FROM a\nRUN zypper -n in x=1 && rm -rf /var/cache/zypp\n'), []);
  });

  it('DL3037 underlines each unpinned package', () => {
    assert.deepEqual(flagged('DL3037', "FROM a\nRUN zypper -n in -r oss curl 'git>2' vim=9 x.rpm\n"), ['curl']);
    assert.deepEqual(flagged('DL3037', 'FROM a\nRUN zypper -n in --type pattern base\n'), []);
  });
});

describe('dnf: DL3038 / DL3040 / DL3041', () => {
  it('DL3038 adds -y for dnf and microdnf', () => {
    assert.equal(fixed('DL3038', 'FROM a\nRUN microdnf install x-1\n'), 'FROM a\nRUN microdnf install -y x-1\n');
    assert.deepEqual(flagged('DL3038', 'FROM a\nRUN dnf --setopt=tsflags=nodocs -y install x-1 && dnf upgrade\n'), []);
  });

  it('DL3040 wants the same tool to clean after its last install', () => {
    assert.deepEqual(flagged('DL3040', 'FROM a\nRUN dnf install -y x-1 && microdnf clean all\n'), ['dnf install']);
    assert.deepEqual(flagged('DL3040', 'FROM a\nRUN dnf clean all && dnf install -y x-1\n'), ['dnf install']);
    assert.deepEqual(flagged('DL3040', 'FROM a\nRUN dnf install -y x-1 && rm -rf /var/cache/yum/*\n'), []);
    assert.deepEqual(flagged('DL3040', 'FROM a\nRUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y x-1\n'), []);
  });

  it('DL3041 wants a real version after the name', () => {
    assert.deepEqual(flagged('DL3041', 'FROM a\nRUN dnf install -y rpm-sign rpm-sign-4.16.1.3 gcc-c++-1.1.1 openssl-1:1.1.1k "git-core-${V}"\n'), ['rpm-sign']);
    assert.deepEqual(flagged('DL3041', 'FROM a\nRUN dnf group install -y "Development Tools" && dnf module install -y ruby\n'), ['ruby']);
  });
});

describe('DL3042 pip', () => {
  it('adds --no-cache-dir after install', () => {
    assert.equal(fixed('DL3042', 'FROM a\nRUN pip install -r req.txt\n'), 'FROM a\nRUN pip install --no-cache-dir -r req.txt\n');
    assert.equal(fixed('DL3042', 'FROM a\nRUN python3.12 -m pip install x\n'), 'FROM a\nRUN python3.12 -m pip install --no-cache-dir x\n');
    assert.deepEqual(flagged('DL3042', 'FROM a\nRUN pip install x\n'), ['pip install']);
  });

  it('respects PIP_NO_CACHE_DIR wherever it is set, and only when it is true', () => {
    assert.deepEqual(flagged('DL3042', 'FROM a\nENV PIP_NO_CACHE_DIR=0\nRUN pip install x\n'), ['pip install']);
    assert.deepEqual(flagged('DL3042', 'FROM a\nARG PIP_NO_CACHE_DIR=1\nRUN pip install x\n'), []);
    assert.deepEqual(flagged('DL3042', 'FROM a AS base\nENV PIP_NO_CACHE_DIR=1\nFROM a\nRUN pip install x\n'), ['pip install']);
    assert.deepEqual(flagged('DL3042', 'FROM a\nRUN export PIP_NO_CACHE_DIR=false && pip install x\n'), ['pip install']);
    assert.deepEqual(flagged('DL3042', 'FROM a\nRUN pip install x && export PIP_NO_CACHE_DIR=1\n'), ['pip install']);
    assert.deepEqual(flagged('DL3042', 'FROM a\nRUN env PIP_NO_CACHE_DIR=1 pip install x\n'), []);
  });

  it('leaves other pip commands and pip wrappers alone', () => {
    assert.deepEqual(flagged('DL3042', 'FROM a\nRUN pip download x && pip wheel x && pipenv install && pipx install y && python -m pipx install z\n'), []);
    assert.deepEqual(flagged('DL3042', 'FROM a\nRUN --mount=type=cache,target=/root/.cache pip install x\n'), []);
  });
});

describe('DL3043 / DL3044 / DL3045', () => {
  it('DL3043 underlines the forbidden trigger keyword', () => {
    assert.deepEqual(flagged('DL3043', 'FROM a\nONBUILD FROM b\nONBUILD onbuild RUN x\nONBUILD RUN y\n'), ['FROM', 'onbuild']);
  });

  it('DL3044 underlines references to variables set by the same ENV', () => {
    assert.deepEqual(flagged('DL3044', 'FROM a\nENV A=1 B=$A/x C="${A}" D=$AB E=${A}B\n'), ['$A', '${A}', '${A}']);
    assert.deepEqual(flagged('DL3044', 'FROM a\nENV A=0\nENV A=1 B=$A\n'), []);
    assert.deepEqual(flagged('DL3044', 'FROM a\nENV B=$A A=1\n'), ['$A']);
    assert.deepEqual(flagged('DL3044', 'FROM a\nENV A 1 $A\n'), []);
  });

  it('DL3045 underlines the destination, and sees WORKDIR through FROM <stage> and ONBUILD', () => {
    assert.deepEqual(flagged('DL3045', 'FROM a\nCOPY x "y"\n'), ['"y"']);
    assert.deepEqual(flagged('DL3045', 'FROM a AS one\nWORKDIR /w\nFROM a\nCOPY x y\nFROM one\nCOPY x y\n'), ['y']);
    assert.deepEqual(flagged('DL3045', 'FROM a\nONBUILD COPY x y\nWORKDIR /w\n'), []);
    assert.deepEqual(flagged('DL3045', 'FROM a\nONBUILD COPY x y\nONBUILD WORKDIR /w\n'), ['y']);
    assert.deepEqual(flagged('DL3045', 'FROM a\nCOPY x c:/y\nCOPY x D:\\y\nCOPY x ${DIR}\n'), []);
  });
});
