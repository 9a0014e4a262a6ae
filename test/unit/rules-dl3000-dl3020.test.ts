import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile } from '../../server/src/dockerfile';
import { DOCKERFILE_RULES } from '../../server/src/rules/dockerfile';
import { runRules, type LintResult } from '../../server/src/rules/runner';
import { DEFAULT_LINT_SETTINGS } from '../../server/src/rules/settings';
import type { Fix } from '../../server/src/rules/types';

const ruleById = (id: string) => {
  const rule = DOCKERFILE_RULES.find((each) => each.id === id);
  assert.ok(rule, `${id} is registered`);
  return rule;
};

/** Findings of one rule, in document order. */
const lint = (id: string, text: string): LintResult[] => {
  const run = runRules(analyzeDockerfile(text), [ruleById(id)], DEFAULT_LINT_SETTINGS);
  assert.deepEqual(run.failures, [], 'no rule may throw');
  return run.results;
};

/** The underlined text of each finding. */
const underlined = (id: string, text: string) => lint(id, text).map((result) => text.slice(result.range.start, result.range.end));

const applyFix = (text: string, fix: Fix) =>
  [...fix.edits].sort((a, b) => b.range.start - a.range.start).reduce((out, edit) => out.slice(0, edit.range.start) + edit.newText + out.slice(edit.range.end), text);

/** The text after applying the only fix of the only finding. */
const fixed = (id: string, text: string) => {
  const results = lint(id, text);
  assert.equal(results.length, 1, `one ${id} finding in:\n${text}`);
  assert.equal(results[0]!.fixes.length, 1, `${id} offers one fix`);
  return applyFix(text, results[0]!.fixes[0]!);
};

const noFix = (id: string, text: string) => {
  const results = lint(id, text);
  assert.equal(results.length, 1, `one ${id} finding in:\n${text}`);
  assert.deepEqual(results[0]!.fixes, []);
};

describe('DL3000 absolute WORKDIR', () => {
  it('underlines the path and resolves it against the known WORKDIR', () => {
    assert.deepEqual(underlined('DL3000', 'FROM node:22\nWORKDIR app\n'), ['app']);
    assert.equal(fixed('DL3000', 'FROM scratch\nWORKDIR /srv/www\nWORKDIR ../data\n'), 'FROM scratch\nWORKDIR /srv/www\nWORKDIR /srv/data\n');
    assert.equal(fixed('DL3000', 'FROM scratch\nWORKDIR app\n'), 'FROM scratch\nWORKDIR /app\n');
    assert.equal(fixed('DL3000', 'FROM node:22 AS base\nWORKDIR /usr/src\nFROM base\nWORKDIR ./app\n'), 'FROM node:22 AS base\nWORKDIR /usr/src\nFROM base\nWORKDIR /usr/src/app\n');
  });

  it('offers no fix when the current directory is unknown or the path uses a variable', () => {
    noFix('DL3000', 'FROM node:22\nWORKDIR app\n');
    noFix('DL3000', 'FROM scratch\nARG D=app\nWORKDIR $D\n');
    assert.match(lint('DL3000', 'FROM scratch\nARG D=app\nWORKDIR $D\n')[0]!.message, /WORKDIR app is relative/);
  });
});

describe('DL3001 commands pointless in a build', () => {
  it('underlines the command, seen through wrappers', () => {
    assert.deepEqual(underlined('DL3001', 'FROM debian:12\nRUN sudo service ssh start && top -b -n 1 | head\n'), ['service', 'top']);
    assert.match(lint('DL3001', 'FROM debian:12\nRUN vim /etc/hosts\n')[0]!.message, /^vim /);
  });
});

describe('DL3002 last USER root', () => {
  it('reports the last USER of each stage that ends as root', () => {
    const text = 'FROM alpine:3.20 AS build\nUSER root\nFROM alpine:3.20\nUSER app\nUSER root:wheel\n';
    assert.deepEqual(underlined('DL3002', text), ['root', 'root:wheel']);
    assert.match(lint('DL3002', text)[0]!.message, /stage build/);
    assert.match(lint('DL3002', text)[1]!.message, /the image/);
  });

  it('leaves a stage alone when it ends with another user or sets none', () => {
    assert.deepEqual(lint('DL3002', 'FROM alpine:3.20 AS base\nUSER root\nUSER nobody\nFROM base\nRUN id\n'), []);
  });
});

describe('DL3003 cd', () => {
  it('underlines cd at the top level of the script, not in subshells', () => {
    assert.deepEqual(underlined('DL3003', 'FROM debian:12\nRUN (cd /a && make) && cd /b && make\n'), ['cd']);
    const text = 'FROM debian:12\nRUN (cd /a && make) && cd /b && make\n';
    assert.equal(lint('DL3003', text)[0]!.range.start, text.indexOf('cd /b'));
  });

  it('checks ONBUILD RUN triggers too', () => {
    assert.deepEqual(underlined('DL3003', 'FROM debian:12\nONBUILD RUN cd /src && make\n'), ['cd']);
  });
});

describe('DL3004 sudo', () => {
  it('underlines sudo, also behind env or as a path', () => {
    assert.deepEqual(underlined('DL3004', 'FROM debian:12\nRUN env A=1 /usr/bin/sudo -u app make && sudo -l\n'), ['/usr/bin/sudo', 'sudo']);
  });
});

describe('DL3008 apt-get pinning', () => {
  it('underlines each unpinned package, skipping option values', () => {
    const text = 'FROM debian:12\nRUN apt-get install -y -o Dpkg::Options::=--force-confnew -t bookworm-backports curl git=1:2.39 \\\n    jq ./x.deb\n';
    assert.deepEqual(underlined('DL3008', text), ['curl', 'jq']);
    assert.equal(lint('DL3008', text)[0]!.message, 'Pin the version of curl in apt-get install: write curl=<version>');
  });

  it('does not look at apt-get commands other than install', () => {
    assert.deepEqual(lint('DL3008', 'FROM debian:12\nRUN apt-get remove -y curl && apt-get source bash\n'), []);
  });
});

describe('DL3009 apt lists', () => {
  it('underlines the update and appends the cleanup to the end of the RUN', () => {
    const text = 'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y curl=1  # tools\n';
    assert.deepEqual(underlined('DL3009', text), ['apt-get update']);
    assert.equal(fixed('DL3009', text), 'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y curl=1 && rm -rf /var/lib/apt/lists/*  # tools\n');
    assert.equal(fixed('DL3009', 'FROM debian:12\nRUN apt-get update; apt-get install -y curl=1;\n'), 'FROM debian:12\nRUN apt-get update; apt-get install -y curl=1 && rm -rf /var/lib/apt/lists/*;\n');
  });

  it('adds a last line to a heredoc script', () => {
    const text = 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl=1\nEOF\n';
    assert.equal(fixed('DL3009', text), 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl=1\nrm -rf /var/lib/apt/lists/*\nEOF\n');
  });

  it('fixes a sh -c exec form written without escapes, and only reports one with escapes', () => {
    assert.equal(fixed('DL3009', 'FROM debian:12\nRUN ["sh", "-c", "apt-get update && apt-get install -y curl=1"]\n'), 'FROM debian:12\nRUN ["sh", "-c", "apt-get update && apt-get install -y curl=1 && rm -rf /var/lib/apt/lists/*"]\n');
    noFix('DL3009', 'FROM debian:12\nRUN ["sh", "-c", "echo \\"go\\" && apt-get update && apt-get install -y curl=1"]\n');
  });

  it('reports once per RUN, and only in stages whose files reach an image', () => {
    assert.equal(lint('DL3009', 'FROM debian:12\nRUN apt-get update && apt-get install -y a=1 && apt-get update\n').length, 1);
    const text = 'FROM debian:12 AS tools\nRUN apt-get update\nFROM debian:12 AS base\nRUN apt-get update\nFROM base\nCOPY --from=tools /x /x\nRUN apt update\n';
    assert.deepEqual(
      lint('DL3009', text).map((result) => text.slice(0, result.range.start).split('\n').length),
      [4, 7],
    );
  });

  it('accepts the other cleanups and cache mounts, and checks ONBUILD', () => {
    assert.deepEqual(lint('DL3009', 'FROM debian:12\nRUN apt-get update && apt-get install -y a=1 && rm -r /var/lib/apt/lists\n'), []);
    assert.deepEqual(lint('DL3009', 'FROM debian:12\nRUN apt-get update && find /var/lib/apt/lists -type f -delete\n'), []);
    assert.deepEqual(lint('DL3009', 'FROM debian:12\nRUN --mount=type=tmpfs,dst=/var/lib/apt/lists apt-get update\n'), []);
    assert.equal(lint('DL3009', 'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt apt-get update\n').length, 1);
    assert.equal(lint('DL3009', 'FROM debian:12 AS unused\nONBUILD RUN apt-get update\nFROM debian:12\n').length, 1);
  });
});

describe('DL3010 ADD for archives', () => {
  it('underlines the copied archive once it is extracted in the same stage', () => {
    const text = 'FROM debian:12\nCOPY a.txt app.tar.gz /tmp/\nRUN tar --extract -f /tmp/app.tar.gz && gunzip -k /tmp/app.tar.gz\n';
    assert.deepEqual(underlined('DL3010', text), ['app.tar.gz']);
    assert.deepEqual(underlined('DL3010', 'FROM debian:12\nCOPY build.out /tmp/app.tbz2\nRUN xz -d /tmp/app.tbz2\n'), ['/tmp/app.tbz2']);
  });

  it('ignores archives that are never extracted or extracted in another stage', () => {
    assert.deepEqual(lint('DL3010', 'FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -tzf /tmp/app.tar.gz\n'), []);
  });
});

describe('DL3011 port range', () => {
  it('underlines the out-of-range number', () => {
    assert.deepEqual(underlined('DL3011', 'FROM nginx:1\nEXPOSE 80/tcp 65536/udp 1000-99999\n'), ['65536', '99999']);
    assert.deepEqual(underlined('DL3011', 'FROM nginx:1\nARG P=70000\nEXPOSE $P\n'), ['$P']);
  });
});

describe('DL3012 multiple HEALTHCHECK', () => {
  it('underlines every HEALTHCHECK after the first in a stage', () => {
    assert.deepEqual(underlined('DL3012', 'FROM nginx:1\nHEALTHCHECK NONE\nhealthcheck CMD true\nHEALTHCHECK CMD false\n'), ['healthcheck', 'HEALTHCHECK']);
  });
});

describe('DL3013 pip pinning', () => {
  it('underlines unpinned packages for pip, pip3.x and python -m pip', () => {
    const text = 'FROM python:3.12\nRUN pip3.12 install -U pip && python3 -m pip install --index-url https://x/simple flask==3 requests "rich[jupyter]"\n';
    assert.deepEqual(underlined('DL3013', text), ['pip', 'requests', '"rich[jupyter]"']);
    assert.match(lint('DL3013', text)[2]!.message, /rich\[jupyter\]==<version>/);
  });

  it('leaves requirement files, local projects and pinned VCS URLs alone', () => {
    assert.deepEqual(lint('DL3013', 'FROM python:3.12\nRUN pip install -r requirements.txt flask && pip install . && pip install git+https://github.com/a/b@v1\n'), []);
    assert.deepEqual(underlined('DL3013', 'FROM python:3.12\nRUN pip install git+ssh://git@github.com/a/b.git\n'), ['git+ssh://git@github.com/a/b.git']);
  });
});

describe('DL3014 apt-get -y', () => {
  it('underlines apt-get install and inserts -y after install', () => {
    const text = 'FROM debian:12\nRUN sudo apt-get install --no-install-recommends curl=1\n';
    assert.deepEqual(underlined('DL3014', text), ['apt-get install']);
    assert.equal(fixed('DL3014', text), 'FROM debian:12\nRUN sudo apt-get install -y --no-install-recommends curl=1\n');
  });

  it('checks each apt-get install of a RUN on its own', () => {
    assert.equal(lint('DL3014', 'FROM debian:12\nRUN apt-get install -y a=1 && apt-get install b=1\n').length, 1);
  });

  it('does not count a single -q, nor an apt.conf setting made in an unrelated stage', () => {
    assert.equal(lint('DL3014', 'FROM debian:12\nRUN apt-get -q install a=1\n').length, 1);
    assert.equal(lint('DL3014', 'FROM debian:12\nRUN apt-get --quiet=2 install a=1\n').length, 0);
    const text = 'FROM debian:12 AS a\nRUN echo \'APT::Get::Assume-Yes "true";\' > /etc/apt/apt.conf.d/90yes\nFROM debian:12\nRUN apt-get install a=1\n';
    assert.equal(lint('DL3014', text).length, 1);
    assert.equal(lint('DL3014', text.replace('FROM debian:12\nRUN apt-get', 'FROM a\nRUN apt-get')).length, 0);
  });
});

describe('DL3015 --no-install-recommends', () => {
  it('inserts --no-install-recommends after install', () => {
    assert.equal(fixed('DL3015', 'FROM debian:12\nRUN apt-get -y install curl=1\n'), 'FROM debian:12\nRUN apt-get -y install --no-install-recommends curl=1\n');
  });

  it('accepts the apt.conf snippet written by a heredoc in the same RUN', () => {
    const text = "FROM debian:12\nRUN cat <<'EOF' > /etc/apt/apt.conf.d/99norec && apt-get install -y curl=1\nAPT::Install-Recommends \"false\";\nEOF\n";
    assert.deepEqual(lint('DL3015', text), []);
  });
});

describe('DL3016 npm pinning', () => {
  it('underlines unpinned packages, scoped ones included', () => {
    assert.deepEqual(underlined('DL3016', 'FROM node:22\nRUN npm install -g @scope/cli lodash@4 left-pad user/repo github:user/repo#abc\n'), ['@scope/cli', 'left-pad', 'user/repo']);
  });
});

describe('DL3018 apk pinning', () => {
  it('underlines unpinned packages but not the --virtual name or repository', () => {
    assert.deepEqual(underlined('DL3018', 'FROM alpine:3.20\nRUN apk add --no-cache -t .deps -X https://example.com/repo gcc musl-dev=1.2.5-r0\n'), ['gcc']);
  });
});

describe('DL3019 apk --no-cache', () => {
  it('underlines apk add and inserts --no-cache after add', () => {
    const text = 'FROM alpine:3.20\nRUN apk update && apk add curl=8\n';
    assert.deepEqual(underlined('DL3019', text), ['apk add']);
    assert.equal(fixed('DL3019', text), 'FROM alpine:3.20\nRUN apk update && apk add --no-cache curl=8\n');
  });
});

describe('DL3020 COPY instead of ADD', () => {
  it('underlines ADD and replaces it with COPY in the same case', () => {
    assert.deepEqual(underlined('DL3020', 'FROM debian:12\nADD --chown=app src/ /app/\n'), ['ADD']);
    assert.equal(fixed('DL3020', 'FROM debian:12\nADD --chown=app src/ /app/\n'), 'FROM debian:12\nCOPY --chown=app src/ /app/\n');
    assert.equal(fixed('DL3020', 'from debian:12\nadd a.txt /\n'), 'from debian:12\ncopy a.txt /\n');
  });

  it('offers no fix when ADD also unpacks an archive or uses an ADD-only flag', () => {
    noFix('DL3020', 'FROM debian:12\nADD notes.txt rootfs.tar.gz /\n');
    noFix('DL3020', 'FROM debian:12\nADD --keep-git-dir=true src /app\n');
  });

  it('resolves sources given by known variables', () => {
    assert.equal(lint('DL3020', 'FROM debian:12\nARG SRC=https://example.com/a.bin\nADD ${SRC} /a\n').length, 0);
    assert.equal(lint('DL3020', 'FROM debian:12\nARG SRC=a.bin\nADD ${SRC} /a\n').length, 1);
  });
});

describe('DL3009 with a heredoc fed to a command', () => {
  it('appends the cleanup to the RUN line, before the heredoc body', () => {
    const text = "FROM debian:12\nRUN cat <<'EOF' > /etc/apt/sources.list.d/x.list && apt-get update\ndeb http://deb.example.com stable main\nEOF\n";
    assert.equal(fixed('DL3009', text), text.replace('apt-get update\n', 'apt-get update && rm -rf /var/lib/apt/lists/*\n'));
  });
});
