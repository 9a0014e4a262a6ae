import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { prng } from '../support/fuzz';
import {
  ScriptBuilder,
  allCommands,
  commandName,
  commandsNamed,
  findFlags,
  flagValue,
  hasFlag,
  isInside,
  isPipefailSet,
  parseOptions,
  parseShell,
  pipelines,
  positionalArgs,
  setCommandOptions,
  subcommand,
  unwrap,
  walkCommands,
  walkLists,
  type Command,
  type CommandSubstitutionPart,
  type CompoundCommand,
  type ParsedScript,
  type Range,
  type SimpleCommand,
  type Word,
  type WordPart,
} from '../../server/src/shell';

// -- helpers ------------------------------------------------------------------

const at = (text: string, range: Range) => text.slice(range.start, range.end);

/** Top-level commands (not nested in compounds or substitutions), flattened. */
const topCommands = (parsed: ParsedScript): Command[] => parsed.lists.flatMap((list) => list.commands);

const simple = (command: Command | undefined): SimpleCommand => {
  assert.ok(command, 'expected a command');
  assert.equal(command.type, 'simple');
  return command as SimpleCommand;
};

const compound = (command: Command | undefined): CompoundCommand => {
  assert.ok(command, 'expected a command');
  assert.equal(command.type, 'compound');
  return command as CompoundCommand;
};

/** `[name, ...args]` as static values (raw text when dynamic). */
const argv = (command: SimpleCommand): string[] => [command.name, ...command.args].filter((w): w is Word => !!w).map((w) => w.value ?? w.raw);

const names = (parsed: ParsedScript): (string | undefined)[] => allCommands(parsed).map((c) => c.name?.value ?? c.name?.raw);

const codes = (parsed: ParsedScript): string[] => parsed.problems.map((p) => p.code);

const substitutions = (parts: readonly WordPart[]): CommandSubstitutionPart[] =>
  parts.flatMap((part) =>
    part.kind === 'command-substitution' ? [part] : part.kind === 'double-quoted' || part.kind === 'parameter' || part.kind === 'arithmetic' ? substitutions(part.parts) : [],
  );

// -- real-world RUN lines ------------------------------------------------------

describe('shell parser: real-world RUN lines', () => {
  it('splits apt-get update && install && cleanup with exact ranges', () => {
    const script = 'apt-get update && apt-get install -y --no-install-recommends a=1 b && rm -rf /var/lib/apt/lists/*';
    const parsed = parseShell(script);
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.lists.length, 1);
    const [update, install, rm] = topCommands(parsed).map(simple);
    assert.deepEqual(argv(update!), ['apt-get', 'update']);
    assert.deepEqual(argv(install!), ['apt-get', 'install', '-y', '--no-install-recommends', 'a=1', 'b']);
    assert.deepEqual(argv(rm!), ['rm', '-rf', '/var/lib/apt/lists/*']);
    assert.deepEqual([update!.operator, install!.operator, rm!.operator], ['&&', '&&', undefined]);
    assert.equal(at(script, update!.range), 'apt-get update');
    assert.equal(at(script, install!.range), 'apt-get install -y --no-install-recommends a=1 b');
    assert.equal(at(script, rm!.range), 'rm -rf /var/lib/apt/lists/*');
    assert.deepEqual(install!.args[3]!.range, { start: 61, end: 64 });
    assert.equal(at(script, install!.args[3]!.range), 'a=1');
    assert.deepEqual(install!.args.map((a) => a.isFlag), [false, true, true, false, false]);
    assert.equal(install!.assignments.length, 0, 'a=1 after the name is an argument, not an assignment');
    assert.equal(at(script, parsed.lists[0]!.range), script);
    for (const command of allCommands(parsed)) {
      for (const word of [command.name!, ...command.args]) {
        assert.equal(at(script, word.range), word.raw);
        assert.deepEqual(word.docRange, word.range, 'no mapping: document offsets equal script offsets');
      }
    }
  });

  it('reads pip options, positional arguments and flag values', () => {
    const parsed = parseShell('pip install --no-cache-dir -r req.txt --upgrade pip==23.1 setuptools');
    const pip = simple(topCommands(parsed)[0]);
    const withValues = ['-r', '--requirement', '-c', '--constraint', '-i', '--index-url'];
    assert.equal(subcommand(pip, withValues), 'install');
    assert.ok(hasFlag(pip, undefined, 'no-cache-dir'));
    assert.ok(hasFlag(pip, '-U', '--upgrade'));
    assert.equal(flagValue(pip, 'r', 'requirement'), 'req.txt');
    assert.deepEqual(
      positionalArgs(pip, withValues).map((a) => a.value),
      ['install', 'pip==23.1', 'setuptools'],
    );
    assert.deepEqual(
      positionalArgs(pip).map((a) => a.value),
      ['install', 'req.txt', 'pip==23.1', 'setuptools'],
      'without knowing -r takes a value, its value looks positional',
    );
  });

  it('sees cd, a pipe into sh, and no pipefail', () => {
    const script = 'cd /tmp && curl -fsSL https://x | sh';
    const parsed = parseShell(script);
    const [cd, curl, sh] = topCommands(parsed).map(simple);
    assert.deepEqual([cd, curl, sh].map((c) => c!.operator), ['&&', '|', undefined]);
    assert.deepEqual(argv(curl!), ['curl', '-fsSL', 'https://x']);
    assert.ok(hasFlag(curl!, 's', 'silent') && hasFlag(curl!, 'L') && !hasFlag(curl!, 'o'));
    const found = pipelines(parsed);
    assert.equal(found.length, 1);
    assert.deepEqual(found[0]!.map((c) => at(script, c.range)), ['curl -fsSL https://x', 'sh']);
    assert.equal(isPipefailSet(parsed), false);
    assert.deepEqual(commandsNamed(parsed, 'cd').map((c) => c.args[0]!.value), ['/tmp']);
  });

  it('keeps && and ; inside quotes as part of the argument', () => {
    const script = `echo "a && b; c" 'x || y;' it\\;s && ls`;
    const parsed = parseShell(script);
    const [echo, ls] = topCommands(parsed).map(simple);
    assert.equal(topCommands(parsed).length, 2);
    assert.deepEqual(argv(echo!), ['echo', 'a && b; c', 'x || y;', 'it;s']);
    assert.deepEqual(echo!.args.map((a) => a.raw), ['"a && b; c"', "'x || y;'", 'it\\;s']);
    assert.deepEqual(echo!.args.map((a) => a.quoted), [true, true, true]);
    assert.equal(at(script, echo!.args[1]!.range), "'x || y;'");
    assert.equal(argv(ls!)[0], 'ls');
  });

  it('handles the usual Debian layer with set -eux and a continuation-joined script', () => {
    const script = 'set -eux; \\\n  apt-get update; \\\n  apt-get install -y --no-install-recommends \\\n    ca-certificates curl; \\\n  rm -rf /var/lib/apt/lists/*';
    const parsed = parseShell(script);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(names(parsed), ['set', 'apt-get', 'apt-get', 'rm']);
    const install = allCommands(parsed)[2]!;
    assert.deepEqual(argv(install).slice(4), ['ca-certificates', 'curl']);
    assert.equal(at(script, install.range), 'apt-get install -y --no-install-recommends \\\n    ca-certificates curl');
    assert.deepEqual(setCommandOptions(allCommands(parsed)[0]!), new Map([['errexit', true], ['nounset', true], ['xtrace', true]]));
  });

  it('joins words across a backslash-newline inside a word', () => {
    const script = 'echo abc\\\ndef';
    const echo = allCommands(parseShell(script))[0]!;
    assert.equal(echo.args[0]!.value, 'abcdef');
    assert.equal(echo.args[0]!.raw, 'abc\\\ndef');
    assert.equal(at(script, echo.args[0]!.range), 'abc\\\ndef');
  });

  it('splits a catalogue of common RUN lines into commands and arguments', () => {
    const cases: [string, string[][], (string | undefined)[]][] = [
      ['groupadd -r app && useradd -r -g app app', [['groupadd', '-r', 'app'], ['useradd', '-r', '-g', 'app', 'app']], ['&&', undefined]],
      ['npm ci && npm cache clean --force', [['npm', 'ci'], ['npm', 'cache', 'clean', '--force']], ['&&', undefined]],
      [
        'apk add --no-cache --virtual .build-deps gcc musl-dev && pip install --no-cache-dir -r requirements.txt && apk del .build-deps',
        [['apk', 'add', '--no-cache', '--virtual', '.build-deps', 'gcc', 'musl-dev'], ['pip', 'install', '--no-cache-dir', '-r', 'requirements.txt'], ['apk', 'del', '.build-deps']],
        ['&&', '&&', undefined],
      ],
      ['curl -sSL https://install.python-poetry.org | POETRY_HOME=/opt/poetry python3 -', [['curl', '-sSL', 'https://install.python-poetry.org'], ['python3', '-']], ['|', undefined]],
      ['echo "deb http://deb.debian.org/debian bookworm main" > /etc/apt/sources.list.d/x.list', [['echo', 'deb http://deb.debian.org/debian bookworm main']], [undefined]],
      [
        'wget -O /tmp/x.tgz https://x && tar -xzf /tmp/x.tgz -C /usr/local --strip-components=1 && rm /tmp/x.tgz',
        [['wget', '-O', '/tmp/x.tgz', 'https://x'], ['tar', '-xzf', '/tmp/x.tgz', '-C', '/usr/local', '--strip-components=1'], ['rm', '/tmp/x.tgz']],
        ['&&', '&&', undefined],
      ],
      ['go build -ldflags="-s -w -X main.version=${VERSION}" -o /out/app ./cmd/app', [['go', 'build', '-ldflags="-s -w -X main.version=${VERSION}"', '-o', '/out/app', './cmd/app']], [undefined]],
      ['find / -xdev -perm /6000 -type f -exec chmod a-s {} \\; || true', [['find', '/', '-xdev', '-perm', '/6000', '-type', 'f', '-exec', 'chmod', 'a-s', '{}', ';'], ['true']], ['||', undefined]],
      ['mkdir -p /root/.ssh && ssh-keyscan github.com >> /root/.ssh/known_hosts', [['mkdir', '-p', '/root/.ssh'], ['ssh-keyscan', 'github.com']], ['&&', undefined]],
      ['export DEBIAN_FRONTEND=noninteractive && apt-get update -qq', [['export', 'DEBIAN_FRONTEND=noninteractive'], ['apt-get', 'update', '-qq']], ['&&', undefined]],
      ['yum install -y httpd && yum clean all', [['yum', 'install', '-y', 'httpd'], ['yum', 'clean', 'all']], ['&&', undefined]],
      ['[ -n "$TARGETARCH" ] || exit 1', [['[', '-n', '"$TARGETARCH"', ']'], ['exit', '1']], ['||', undefined]],
      ['test "$(id -u)" -eq 0 && chown -R app:app /app', [['test', '"$(id -u)"', '-eq', '0'], ['id', '-u'], ['chown', '-R', 'app:app', '/app']], ['&&', undefined, undefined]],
      ['gem install bundler -v 2.4.22 --no-document', [['gem', 'install', 'bundler', '-v', '2.4.22', '--no-document']], [undefined]],
      ['pip3 install --upgrade pip setuptools wheel; pip3 install .[dev]', [['pip3', 'install', '--upgrade', 'pip', 'setuptools', 'wheel'], ['pip3', 'install', '.[dev]']], [';', undefined]],
    ];
    for (const [script, expected, operators] of cases) {
      const parsed = parseShell(script);
      assert.deepEqual(parsed.problems, [], script);
      assert.deepEqual(allCommands(parsed).map(argv), expected, script);
      assert.deepEqual(allCommands(parsed).map((c) => c.operator), operators, script);
    }
  });

  it('reads apk, npm, yarn, wget lines', () => {
    const parsed = parseShell(
      'apk add --no-cache curl=8.5.0-r0 && npm ci --omit=dev && yarn install --frozen-lockfile && yarn cache clean && wget -q --progress=dot:giga -O - https://x | tar xz',
    );
    const [apk, npm, yarn, yarnClean, wget, tar] = allCommands(parsed);
    assert.ok(hasFlag(apk!, undefined, 'no-cache'));
    assert.equal(subcommand(apk!), 'add');
    assert.equal(flagValue(npm!, undefined, 'omit'), 'dev');
    assert.equal(subcommand(yarn!), 'install');
    assert.deepEqual(positionalArgs(yarnClean!).map((a) => a.value), ['cache', 'clean']);
    assert.equal(flagValue(wget!, undefined, 'progress'), 'dot:giga');
    assert.equal(flagValue(wget!, 'O'), '-', 'a value that looks like stdin is still the value');
    assert.deepEqual(positionalArgs(wget!, ['-O']).map((a) => a.value), ['https://x']);
    assert.equal(commandName(tar!), 'tar');
  });
});

// -- compound commands -----------------------------------------------------------

describe('shell parser: compound commands', () => {
  it('parses if/elif/else with clause contexts', () => {
    const script = 'if [ -f /etc/alpine-release ]; then apk add curl; elif command -v apt-get; then apt-get install -y curl; else exit 1; fi && echo ok';
    const parsed = parseShell(script);
    assert.deepEqual(parsed.problems, []);
    const ifCommand = compound(topCommands(parsed)[0]);
    assert.equal(ifCommand.kind, 'if');
    assert.equal(ifCommand.operator, '&&');
    assert.equal(at(script, ifCommand.range), script.slice(0, script.indexOf(' && echo ok')));
    assert.deepEqual(ifCommand.clauses.map((c) => c.kind), ['if', 'then', 'elif', 'then', 'else']);
    const clauseOf = (c: SimpleCommand) => c.context.map((f) => (f.kind === 'compound' ? `${f.command.kind}:${f.clause.kind}` : 'substitution'));
    const all = allCommands(parsed);
    assert.deepEqual(all.map((c) => c.name!.value), ['[', 'apk', 'command', 'apt-get', 'exit', 'echo']);
    assert.deepEqual(all.map((c) => clauseOf(c).join(',')), ['if:if', 'if:then', 'if:elif', 'if:then', 'if:else', '']);
    assert.equal(all[5]!.context.length, 0);
    assert.ok(isInside(all[3]!, 'if') && !isInside(all[5]!, 'if'));
  });

  it('parses for, while, until and select loops', () => {
    const script = 'for pkg in a b "c d"; do pip install "$pkg"; done\nwhile read -r line; do echo "$line"; done < list.txt\nuntil curl -f localhost; do sleep 1; done\nfor ((i = 0; i < 3; i++)); do echo $i; done';
    const parsed = parseShell(script);
    assert.deepEqual(parsed.problems, []);
    const [forLoop, whileLoop, untilLoop, cFor] = topCommands(parsed).map(compound);
    assert.deepEqual(forLoop!.words.map((w) => w.value), ['pkg', 'a', 'b', 'c d']);
    assert.equal(forLoop!.operator, 'newline');
    assert.deepEqual(whileLoop!.clauses.map((c) => c.kind), ['while', 'do']);
    assert.equal(whileLoop!.redirects[0]!.target!.value, 'list.txt');
    assert.equal(at(script, whileLoop!.range), 'while read -r line; do echo "$line"; done < list.txt');
    assert.deepEqual(untilLoop!.clauses.map((c) => c.kind), ['until', 'do']);
    assert.equal(cFor!.words[0]!.raw, '((i = 0; i < 3; i++))');
    assert.deepEqual(names(parsed), ['pip', 'read', 'echo', 'curl', 'sleep', 'echo']);
    assert.ok(isInside(allCommands(parsed)[0]!, 'for'));
  });

  it('parses case items with patterns and ;; operators', () => {
    const script = 'case "$(uname -m)" in\n  x86_64|amd64) ARCH=amd64 ;;\n  (aarch64) ARCH=arm64;;\n  *) echo "unsupported" >&2; exit 1 ;;\nesac';
    const parsed = parseShell(script);
    assert.deepEqual(parsed.problems, []);
    const caseCommand = compound(topCommands(parsed)[0]);
    assert.equal(caseCommand.words[0]!.raw, '"$(uname -m)"');
    assert.deepEqual(caseCommand.clauses.map((c) => c.patterns.map((p) => p.value)), [['x86_64', 'amd64'], ['aarch64'], ['*']]);
    const [uname, first, second, echo, exit] = allCommands(parsed);
    assert.equal(uname!.substitutionDepth, 1, 'the subject substitution is found too');
    assert.deepEqual(first!.assignments.map((a) => [a.name, a.value.value]), [['ARCH', 'amd64']]);
    assert.equal(first!.name, undefined);
    assert.equal(first!.operator, ';;');
    assert.equal(second!.operator, ';;');
    assert.equal(echo!.redirects[0]!.operator, '>&');
    assert.equal(echo!.redirects[0]!.target!.value, '2');
    assert.deepEqual([echo!.operator, exit!.operator], [';', ';;']);
  });

  it('marks subshells and brace groups, with operators and redirects on the group', () => {
    const script = '(cd /src && make) | tee build.log; { echo a; echo b; } > out 2>&1 &';
    const parsed = parseShell(script);
    const [subshell, tee, group] = topCommands(parsed);
    assert.equal(compound(subshell).kind, 'subshell');
    assert.equal(subshell!.operator, '|');
    assert.equal(at(script, subshell!.range), '(cd /src && make)');
    assert.equal(simple(tee).operator, ';');
    assert.equal(compound(group).kind, 'brace-group');
    assert.equal(group!.operator, '&');
    assert.deepEqual(group!.redirects.map((r) => [r.fd, r.operator, r.target!.value]), [[undefined, '>', 'out'], [2, '>&', '1']]);
    assert.equal(at(script, group!.range), '{ echo a; echo b; } > out 2>&1');
    const [cd, make] = allCommands(parsed);
    assert.ok(isInside(cd!, 'subshell') && isInside(make!, 'subshell') && !isInside(cd!, 'brace-group'));
    assert.deepEqual(pipelines(parsed).map((p) => p.map((c) => c.type)), [['compound', 'simple']]);
  });

  it('parses function definitions, [[ ]], (( )) and negation', () => {
    const script = 'retry() { "$@" || { sleep 1; "$@"; }; }\nfunction cleanup { rm -rf /tmp/x; }\n[[ -f a && ! -d b ]] && (( n += 1 ))\n! grep -q x file';
    const parsed = parseShell(script);
    assert.deepEqual(parsed.problems, []);
    const [retry, cleanup, test, arithmetic, grep] = topCommands(parsed);
    assert.equal(compound(retry).kind, 'function');
    assert.equal(compound(retry).words[0]!.value, 'retry');
    assert.equal(at(script, retry!.range), 'retry() { "$@" || { sleep 1; "$@"; }; }');
    assert.equal(compound(cleanup).kind, 'function');
    assert.deepEqual(argv(simple(test)), ['[[', '-f', 'a', '&&', '!', '-d', 'b', ']]']);
    assert.equal(test!.operator, '&&');
    assert.equal(compound(arithmetic).kind, 'arithmetic');
    assert.equal(simple(grep).negated, true);
    const rm = commandsNamed(parsed, 'rm')[0]!;
    assert.ok(isInside(rm, 'function') && isInside(rm, 'brace-group'));
  });

  it('keeps [[ ]] regex alternation together and needs () for a function definition', () => {
    const parsed = parseShell('[[ $v =~ ^(a|b)$ ]] && echo yes; f () { :; }');
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(argv(allCommands(parsed)[0]!).slice(2), ['=~', '^', '(', 'a', '|', 'b', ')', '$', ']]']);
    assert.equal(compound(topCommands(parsed)[2]).kind, 'function');
    const timed = parseShell('time (cd x && make); time make');
    assert.deepEqual(timed.problems, []);
    assert.deepEqual(names(timed), ['cd', 'make', 'time']);
    const notFunction = parseShell('echo (x)');
    assert.deepEqual(codes(notFunction), ['missing-separator']);
    assert.deepEqual(topCommands(notFunction).map((c) => c.type), ['simple', 'compound']);
  });

  it('walks lists and commands in source order', () => {
    const parsed = parseShell('a && (b; c | d) && e $(f | g)');
    const seen: string[] = [];
    walkCommands(parsed, (c) => seen.push(c.type === 'simple' ? c.name!.raw : c.kind));
    assert.deepEqual(seen, ['a', 'subshell', 'b', 'c', 'd', 'e', 'f', 'g']);
    let lists = 0;
    walkLists(parsed, () => lists++);
    assert.equal(lists, 4);
    assert.deepEqual(
      pipelines(parsed).map((p) => p.map((c) => (c as SimpleCommand).name!.raw)),
      [['c', 'd'], ['f', 'g']],
    );
  });
});

// -- words -------------------------------------------------------------------------

describe('shell parser: words, quotes and substitutions', () => {
  it('computes values through every quoting style', () => {
    const script = `echo a\\ b "c\\"d\\e" 'f\\g' $'h\\ti\\x41' "$HOME"/x "pre$(id)post" ~/x *.txt`;
    const echo = allCommands(parseShell(script))[0]!;
    assert.deepEqual(
      echo.args.map((a) => a.value),
      ['a b', 'c"d\\e', 'f\\g', 'h\tiA', undefined, undefined, '~/x', '*.txt'],
    );
    assert.deepEqual(echo.args.map((a) => at(script, a.range)), echo.args.map((a) => a.raw));
    const home = echo.args[4]!;
    assert.deepEqual(home.parts.map((p) => p.kind), ['double-quoted', 'literal']);
    const inner = home.parts[0]!.kind === 'double-quoted' ? home.parts[0]!.parts[0] : undefined;
    assert.ok(inner?.kind === 'parameter' && inner.name === 'HOME');
  });

  it('finds commands inside $(...), flagged as nested', () => {
    const script = 'VERSION="$(curl -s https://x | jq -r .tag)" && wget "https://x/$VERSION/$(uname -m).tgz"';
    const parsed = parseShell(script);
    assert.deepEqual(parsed.problems, []);
    const all = allCommands(parsed);
    assert.deepEqual(names(parsed), [undefined, 'curl', 'jq', 'wget', 'uname']);
    assert.deepEqual(all.map((c) => c.substitutionDepth), [0, 1, 1, 0, 1]);
    assert.equal(at(script, all[1]!.range), 'curl -s https://x');
    assert.equal(all[1]!.operator, '|');
    assert.equal(all[2]!.operator, undefined);
    assert.ok(isInside(all[1]!, 'substitution') && !isInside(all[0]!, 'substitution'));
    assert.equal(all[0]!.assignments[0]!.value.value, undefined);
    const [sub] = substitutions(all[0]!.assignments[0]!.value.parts);
    assert.equal(at(script, sub!.range), '$(curl -s https://x | jq -r .tag)');
    const frame = all[1]!.context[0]!;
    assert.ok(frame.kind === 'substitution' && frame.substitution === sub);
    assert.deepEqual(pipelines(parsed).length, 1);
  });

  it('parses backticks, including escaped nested backticks, mapping ranges to the script', () => {
    const script = 'echo `dirname \\`which python\\``; cd `pwd`';
    const parsed = parseShell(script);
    assert.deepEqual(parsed.problems, []);
    const all = allCommands(parsed);
    assert.deepEqual(names(parsed), ['echo', 'dirname', 'which', 'cd', 'pwd']);
    assert.deepEqual(all.map((c) => c.substitutionDepth), [0, 1, 2, 0, 1]);
    const which = all[2]!;
    assert.equal(which.name!.raw, 'which');
    assert.equal(at(script, which.name!.range), 'which');
    assert.equal(at(script, which.args[0]!.range), 'python');
    assert.equal(at(script, all[4]!.range), 'pwd');
  });

  it('parses ${...} with nested substitutions, arithmetic and process substitution', () => {
    const script = 'echo ${VAR:-$(cat /default)} $((1 + $(nproc))) ${#PATH}; diff <(sort a) >(tee b)';
    const parsed = parseShell(script);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(names(parsed), ['echo', 'cat', 'nproc', 'diff', 'sort', 'tee']);
    const echo = allCommands(parsed)[0]!;
    const param = echo.args[0]!.parts[0]!;
    assert.ok(param.kind === 'parameter' && param.name === 'VAR' && param.braced);
    const length = echo.args[2]!.parts[0]!;
    assert.ok(length.kind === 'parameter' && length.name === 'PATH');
    const diff = allCommands(parsed)[3]!;
    assert.deepEqual(diff.args.map((a) => (a.parts[0] as CommandSubstitutionPart).syntax), ['<(', '>(']);
    assert.deepEqual(diff.args.map((a) => a.raw), ['<(sort a)', '>(tee b)']);
  });

  it('separates assignments from arguments', () => {
    const script = 'DEBIAN_FRONTEND=noninteractive PATH+=":/opt/bin" apt-get install -y tzdata; export A=1; B= ; arr=(x "y z")';
    const parsed = parseShell(script);
    const [apt, exportCommand, empty, array] = allCommands(parsed);
    assert.deepEqual(apt!.assignments.map((a) => [a.name, a.append, a.value.value]), [['DEBIAN_FRONTEND', false, 'noninteractive'], ['PATH', true, ':/opt/bin']]);
    assert.equal(at(script, apt!.assignments[1]!.value.range), '":/opt/bin"');
    assert.equal(at(script, apt!.assignments[1]!.word.range), 'PATH+=":/opt/bin"');
    assert.equal(apt!.name!.value, 'apt-get');
    assert.deepEqual(argv(exportCommand!), ['export', 'A=1']);
    assert.equal(empty!.name, undefined);
    assert.equal(empty!.assignments[0]!.value.value, '');
    assert.equal(array!.assignments[0]!.value.raw, '(x "y z")');
  });

  it('reads NAME=value after the command name as an argument, and assignments again inside its substitutions', () => {
    const script = 'apt-get install -y curl=8.5.0-2 "$(A=1 cmd z=2)" > out=1';
    const [apt, nested] = allCommands(parseShell(script));
    assert.deepEqual(apt!.assignments, []);
    assert.deepEqual(argv(apt!), ['apt-get', 'install', '-y', 'curl=8.5.0-2', '"$(A=1 cmd z=2)"']);
    assert.deepEqual(apt!.args.map((a) => a.isFlag), [false, true, false, false]);
    assert.equal(apt!.redirects[0]!.target!.value, 'out=1');
    assert.deepEqual(nested!.assignments.map((a) => [a.name, a.value.value]), [['A', '1']]);
    assert.equal(nested!.name!.value, 'cmd');
    assert.deepEqual(argv(nested!), ['cmd', 'z=2']);
    // Only arguments carry isFlag: names and redirection targets are plain words.
    for (const word of [apt!.name!, nested!.name!, apt!.redirects[0]!.target!]) assert.ok(!('isFlag' in word), `${word.raw} has isFlag`);
  });

  it('reads redirections with descriptors', () => {
    const script = 'make 2>&1 >/dev/null </dev/null 3<>file &>>log <<<"input"';
    const make = allCommands(parseShell(script))[0]!;
    assert.deepEqual(
      make.redirects.map((r) => [r.fd, r.operator, r.target?.value]),
      [[2, '>&', '1'], [undefined, '>', '/dev/null'], [undefined, '<', '/dev/null'], [3, '<>', 'file'], [undefined, '&>>', 'log'], [undefined, '<<<', 'input']],
    );
    assert.deepEqual(make.redirects.map((r) => at(script, r.range)), ['2>&1', '>/dev/null', '</dev/null', '3<>file', '&>>log', '<<<"input"']);
    assert.equal(make.args.length, 0);
  });

  it('tolerates CRLF line endings', () => {
    const parsed = parseShell('apt-get install -y curl\r\ncat <<EOF\r\nbody\r\nEOF\r\necho ok\r\n');
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(allCommands(parsed).map(argv), [['apt-get', 'install', '-y', 'curl'], ['cat'], ['echo', 'ok']]);
  });

  it('skips comments, including ones that look like commands', () => {
    const script = 'echo hi # && rm -rf /\n# whole line; reboot\necho a#b';
    const parsed = parseShell(script);
    assert.deepEqual(names(parsed), ['echo', 'echo']);
    assert.deepEqual(parsed.comments.map((c) => c.text), ['# && rm -rf /', '# whole line; reboot']);
    assert.equal(allCommands(parsed)[1]!.args[0]!.value, 'a#b');
  });
});

// -- here-documents ---------------------------------------------------------------

describe('shell parser: here-documents in scripts', () => {
  it('reads the body as data and resumes parsing after the delimiter', () => {
    const script = 'cat <<EOF > /etc/apt/sources.list && apt-get update\ndeb http://x $(lsb_release -cs) main\nrm -rf /\nEOF\necho done';
    const parsed = parseShell(script);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(names(parsed), ['cat', 'lsb_release', 'apt-get', 'echo']);
    const cat = allCommands(parsed)[0]!;
    const doc = cat.redirects[0]!.hereDoc!;
    assert.equal(doc.delimiter, 'EOF');
    assert.equal(doc.text, 'deb http://x $(lsb_release -cs) main\nrm -rf /\n');
    assert.equal(at(script, doc.range), doc.text);
    assert.ok(doc.terminated && !doc.quoted);
    assert.equal(cat.redirects[1]!.target!.value, '/etc/apt/sources.list');
    assert.equal(cat.operator, '&&');
    assert.equal(at(script, cat.range), 'cat <<EOF > /etc/apt/sources.list');
  });

  it('does not expand quoted delimiters and strips tabs for <<-', () => {
    const script = "cat <<'EOF' >a\n$(not a command)\nEOF\ncat <<-END\n\tindented\n\tEND\nls";
    const parsed = parseShell(script);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(names(parsed), ['cat', 'cat', 'ls']);
    const [quoted, tabbed] = allCommands(parsed).slice(0, 2).map((c) => c.redirects.find((r) => r.hereDoc)!.hereDoc!);
    assert.ok(quoted!.quoted);
    assert.deepEqual(quoted!.parts, []);
    assert.equal(quoted!.text, '$(not a command)\n');
    assert.equal(tabbed!.text, 'indented\n');
    assert.ok(tabbed!.stripTabs && tabbed!.terminated);
  });

  it('reads two here-docs on one line in order, and one inside $(...)', () => {
    const script = 'paste <<A <<B\n1\nA\n2\nB\nX=$(cat <<EOF\nhello\nEOF\n)\necho "$X"';
    const parsed = parseShell(script);
    assert.deepEqual(parsed.problems, []);
    const paste = allCommands(parsed)[0]!;
    assert.deepEqual(paste.redirects.map((r) => r.hereDoc!.text), ['1\n', '2\n']);
    assert.deepEqual(names(parsed), ['paste', undefined, 'cat', 'echo']);
    assert.equal(allCommands(parsed)[2]!.redirects[0]!.hereDoc!.text, 'hello\n');
  });

  it('reports an unterminated here-doc', () => {
    const parsed = parseShell('cat <<EOF\nno end');
    assert.deepEqual(codes(parsed), ['unterminated-here-doc']);
    assert.equal(allCommands(parsed)[0]!.redirects[0]!.hereDoc!.terminated, false);
    assert.deepEqual(codes(parseShell('cat <<EOF')), ['unterminated-here-doc']);
  });
});

// -- problems and recovery --------------------------------------------------------

describe('shell parser: problems and recovery', () => {
  it('reports unterminated quotes at the opening quote', () => {
    const single = parseShell("echo 'abc && ls");
    assert.deepEqual(codes(single), ['unterminated-single-quote']);
    assert.deepEqual(single.problems[0]!.range, { start: 5, end: 6 });
    assert.deepEqual(names(single), ['echo']);
    assert.deepEqual(codes(parseShell('echo "abc')), ['unterminated-double-quote']);
    assert.deepEqual(codes(parseShell('echo $(ls')), ['unterminated-command-substitution']);
    assert.deepEqual(codes(parseShell('echo `ls')), ['unterminated-backtick']);
    assert.deepEqual(codes(parseShell('echo ${A')), ['unterminated-parameter-expansion']);
    assert.deepEqual(codes(parseShell('echo $((1+2')), ['unterminated-arithmetic']);
    assert.deepEqual(codes(parseShell("echo $'x")), ['unterminated-ansi-c-quote']);
  });

  it('recovers from a missing closer without losing later commands', () => {
    const parsed = parseShell('while true; do if a; then b; done; echo after');
    assert.deepEqual(codes(parsed), ['missing-keyword']);
    assert.match(parsed.problems[0]!.message, /'if' is missing its 'fi'/);
    assert.deepEqual(parsed.problems[0]!.range, { start: 15, end: 17 });
    assert.deepEqual(names(parsed), ['true', 'a', 'b', 'echo']);
    assert.equal(allCommands(parsed)[3]!.context.length, 0);
  });

  it('reports stray tokens and keeps going', () => {
    const parsed = parseShell('fi; ) && ls; ;; echo ok | ; echo end');
    assert.ok(parsed.problems.length >= 3);
    assert.ok(codes(parsed).every((code) => code === 'unexpected-token' || code === 'missing-command'));
    assert.deepEqual(names(parsed), ['ls', 'echo', 'echo']);
  });

  it('reports missing pieces of compound commands', () => {
    assert.deepEqual(codes(parseShell('if true; fi')), ['missing-keyword']);
    assert.deepEqual(codes(parseShell('for x in a b; echo $x; done')), ['missing-keyword']);
    assert.deepEqual(codes(parseShell('case x in a) echo')), ['missing-keyword']);
    assert.deepEqual(codes(parseShell('(echo')), ['missing-keyword']);
    assert.deepEqual(codes(parseShell('{ echo; ')), ['missing-keyword']);
    assert.deepEqual(codes(parseShell('echo >')), ['missing-redirect-target']);
    assert.deepEqual(codes(parseShell('a &&')), ['missing-command']);
    assert.deepEqual(codes(parseShell('[[ -f x ')), ['missing-keyword']);
  });

  it('stops politely when nesting is deeper than the budget', () => {
    const parsed = parseShell('echo ' + '$('.repeat(50) + 'ls' + ')'.repeat(50), { maxNestingDepth: 10 });
    assert.deepEqual(codes(parsed), ['nesting-too-deep']);
    assert.equal(parseShell('(' .repeat(30) + 'ls' + ')'.repeat(30)).problems.length, 0);
  });
});

// -- document offsets --------------------------------------------------------------

describe('shell parser: document offsets', () => {
  it('maps ranges through segments built while joining Dockerfile lines', () => {
    const dockerfile = 'FROM debian\nRUN apt-get update \\\n    && apt-get install -y curl \\\n # a comment line\n    && rm -rf /var/lib/apt/lists/*\n';
    // What the Dockerfile parser does: drop each `\` + newline, and the comment line.
    const lines = [
      { text: 'apt-get update ', start: dockerfile.indexOf('apt-get update') },
      { text: '    && apt-get install -y curl ', start: dockerfile.indexOf('    && apt-get install') },
      { text: '    && rm -rf /var/lib/apt/lists/*', start: dockerfile.indexOf('    && rm') },
    ];
    const builder = new ScriptBuilder();
    for (const line of lines) builder.append(line.text, line.start);
    const { script, segments } = builder.build();
    assert.equal(segments.length, 3);
    const parsed = parseShell(script, { offsets: segments });
    for (const command of allCommands(parsed)) {
      for (const word of [command.name!, ...command.args]) assert.equal(at(dockerfile, word.docRange), word.raw);
    }
    const curl = allCommands(parsed)[1]!.args[2]!;
    assert.equal(curl.value, 'curl');
    assert.equal(dockerfile.slice(curl.docRange.start, curl.docRange.end), 'curl');
    // A range spanning a join ends right after its last character, not after the removed text.
    const list = parsed.lists[0]!;
    assert.equal(at(dockerfile, list.docRange).endsWith('/var/lib/apt/lists/*'), true);
    assert.equal(at(dockerfile, allCommands(parsed)[0]!.docRange), 'apt-get update');
  });

  it('accepts a base offset or a function, and maps problems and parts', () => {
    const parsed = parseShell('echo "x', { offsets: 100 });
    assert.deepEqual(parsed.problems[0]!.docRange, { start: 105, end: 106 });
    const part = allCommands(parsed)[0]!.args[0]!.parts[0]!;
    assert.deepEqual(parsed.toDocumentRange(part.range), { start: 105, end: 107 });
    const viaFunction = parseShell('ls -l', { offsets: (offset) => offset * 2 });
    // Ends map through the last character: offset 4 → 8, so the end is 9.
    assert.deepEqual(allCommands(viaFunction)[0]!.args[0]!.docRange, { start: 6, end: 9 });
    const throwing = parseShell('ls', { offsets: () => { throw new Error('nope'); } });
    assert.deepEqual(allCommands(throwing)[0]!.name!.docRange, { start: 0, end: 2 });
  });
});

// -- query helpers -----------------------------------------------------------------

describe('shell queries', () => {
  const first = (script: string) => allCommands(parseShell(script))[0]!;

  it('hasFlag handles clusters, long forms, values and --', () => {
    const cmd = first('apt-get -qy install --no-install-recommends --option=Dpkg::Use-Pty=0 -- -z');
    assert.ok(hasFlag(cmd, 'y', 'yes'));
    assert.ok(hasFlag(cmd, '-q'));
    assert.ok(hasFlag(cmd, undefined, '--no-install-recommends'));
    assert.ok(hasFlag(cmd, ['o'], ['option', 'config']));
    assert.equal(hasFlag(cmd, 'z'), false, 'after -- nothing is a flag');
    assert.equal(flagValue(cmd, 'o', 'option'), 'Dpkg::Use-Pty=0');
    const valued = first('apt-get -oy install -o APT::Install-Recommends=false x');
    assert.equal(hasFlag(valued, 'y', undefined, ['-o']), false, '-oy is -o with the value y');
    assert.deepEqual(findFlags(valued, 'o', undefined, ['-o']).map((f) => f.value), ['y', 'APT::Install-Recommends=false']);
    assert.deepEqual(findFlags(valued, 'o', undefined, ['-o'])[1]!.valueWord!.raw, 'APT::Install-Recommends=false');
    assert.equal(hasFlag(first('echo "-y"'), 'y'), true, 'quoting does not hide a flag');
    assert.equal(hasFlag(first('echo -'), '-'), false);
  });

  it('parseOptions classifies flags, values, positionals and dynamic words', () => {
    const cmd = first('tool -ab --x=1 --y 2 -c3 $DYN -$D --$E -- -d');
    const options = parseOptions(cmd.args, ['--y', '-c']);
    assert.deepEqual(
      options.map((o) => (o.kind === 'flag' ? `${o.name}=${o.value ?? ''}` : `${o.kind}:${o.word.raw}`)),
      ['-a=', '-b=', '--x=1', '--y=2', '-c=3', 'positional:$DYN', '=', '=', 'end-of-options:--', 'positional:-d'],
    );
    assert.deepEqual(cmd.args.map((a) => a.isFlag), [true, true, true, false, true, false, true, true, true, false]);
  });

  it('subcommand and positionalArgs skip flags before and after the subcommand', () => {
    const aptOptions = ['-o', '--option', '-c', '--config-file', '-t', '--target-release'];
    const cmd = first('apt-get -q -o Dpkg::Options::=--force-confnew install -y -t bookworm a=1 b');
    assert.equal(subcommand(cmd, aptOptions), 'install');
    assert.deepEqual(positionalArgs(cmd, aptOptions).map((a) => a.value), ['install', 'a=1', 'b']);
    assert.equal(subcommand(first('apt-get')), undefined);
  });

  it('commandName gives the basename of a static name', () => {
    assert.equal(commandName(first('/usr/bin/apt-get update')), 'apt-get');
    assert.equal(commandName(first('$PIP install x')), undefined);
    assert.equal(commandName(first('FOO=1')), undefined);
    assert.equal(commandName(first('"pip3" install x')), 'pip3');
  });

  it('unwrap leaves commands named like object properties alone', () => {
    for (const script of ['constructor apt-get install x', 'toString pip install y', '__proto__ npm ci']) {
      const command = unwrap(first(script));
      assert.equal(commandName(command), script.split(' ')[0], script);
      assert.deepEqual(command.wrappers, []);
    }
  });

  it('unwrap sees through sudo, env, nice, timeout, xargs and friends', () => {
    const cases: [string, string[], string[]][] = [
      ['sudo -E apt-get install -y x', ['apt-get', 'install', '-y', 'x'], ['sudo']],
      ['sudo -u root -- apt-get update', ['apt-get', 'update'], ['sudo']],
      ['env DEBIAN_FRONTEND=noninteractive -u X pip install y', ['pip', 'install', 'y'], ['env']],
      ['sudo env A=1 nice -n 5 ionice -c3 /usr/bin/make -j4', ['/usr/bin/make', '-j4'], ['sudo', 'env', 'nice', 'ionice']],
      ['nice -10 nohup time -p make', ['make'], ['nice', 'nohup', 'time']],
      ['timeout 30s curl -f x', ['curl', '-f', 'x'], ['timeout']],
      ['xargs -n1 -I{} rm -f {}', ['rm', '-f', '{}'], ['xargs']],
      // "$@" might expand to options, so exec's command is unknown.
      ['exec "$@"', ['exec', '"$@"'], []],
      ['exec gosu app "$@"', ['gosu', 'app', '"$@"'], ['exec']],
      ['command -v curl', ['command', '-v', 'curl'], []],
      ['sudo -l', ['sudo', '-l'], []],
      ['env', ['env'], []],
      ['sudo $OPTS apt-get', ['sudo', '$OPTS', 'apt-get'], []],
      ['apt-get install x', ['apt-get', 'install', 'x'], []],
    ];
    for (const [script, expected, wrappers] of cases) {
      const unwrapped = unwrap(first(script));
      assert.deepEqual(argv(unwrapped), expected, script);
      assert.deepEqual(unwrapped.wrappers.map((w) => w.value), wrappers, script);
    }
    const afterDashes = unwrap(first('sudo -- apt-get -y install x'));
    assert.deepEqual(afterDashes.args.map((a) => a.isFlag), [true, false, false], 'isFlag is recomputed for the wrapped command');
    assert.ok(hasFlag(afterDashes, 'y'));
    assert.equal(afterDashes.range.start, 0, 'keeps the whole command range');
  });

  it('tracks pipefail through set commands', () => {
    const pipefail = (script: string, before?: number) => isPipefailSet(parseShell(script), before === undefined ? {} : { before });
    assert.equal(pipefail('set -o pipefail && curl x | sh'), true);
    assert.equal(pipefail('set -euxo pipefail; curl x | sh'), true);
    assert.equal(pipefail('set -e -o errexit -o pipefail; curl x | sh'), true);
    assert.equal(pipefail('set -eo pipefail\ncurl x | sh'), true);
    assert.equal(pipefail('set -o pipefail; set +o pipefail; curl x | sh'), false);
    assert.equal(pipefail('(set -o pipefail); curl x | sh'), false);
    assert.equal(pipefail('echo $(set -o pipefail); curl x | sh'), false);
    assert.equal(pipefail('set -e; curl x | sh'), false);
    assert.equal(pipefail('echo set -o pipefail'), false);
    const late = 'curl x | sh; set -o pipefail';
    assert.equal(pipefail(late, late.indexOf('|')), false);
    assert.equal(pipefail(late), true);
    assert.deepEqual(setCommandOptions(first('set +ex -o pipefail -- a b')), new Map([['errexit', false], ['xtrace', false], ['pipefail', true]]));
    assert.equal(setCommandOptions(first('echo -e')), undefined);
  });
});

// -- robustness --------------------------------------------------------------------

const FRAGMENTS = [
  'apt-get', 'install', '-y', '--no-install-recommends', 'curl=1.2', ' ', ' ', ' ', '  ', '\t', '\n', '\r\n', '&&', '||', '|', '|&', ';', ';;', '&', '(', ')',
  '{', '}', '{ ', ' }', '$(', '`', '\\`', '"', "'", '\\', '\\\n', '$', '${', '$((', '))', '$\'', '$"', 'if ', 'then ', 'fi', 'else ', 'elif ', 'for ', ' in ', 'do ',
  'done', 'while ', 'until ', 'case ', 'esac', 'select ', 'function ', '<<', '<<-', '<<EOF\n', '\nEOF\n', "<<'X'\n", 'EOF', '>', '>>', '2>&1', '&>', '<(', '>(',
  '#', '# c\n', 'x=', 'A+=', '=', '[[', ']]', '((', '!', '*', '~', 'a', 'b', '"$x"', '${x:-$(y)}', 'set -o pipefail', 'sudo ', 'env A=1 ', '-qy', '--', '1', '{}',
  '\\"', '\\$', '$@', '$1', '${#x}', '<<<', '>&', '<&-', ')', '))', '(((', 'arr=(', '\u00e9', '\ud83d\ude00', '\0',
];

const CORPUS = [
  'apt-get update && apt-get install -y --no-install-recommends a=1 b && rm -rf /var/lib/apt/lists/*',
  'pip install --no-cache-dir -r req.txt',
  'cd /tmp && curl -fsSL https://x | sh',
  'if [ -f x ]; then echo "a && b"; elif true; then :; else exit 1; fi',
  'for f in $(ls *.txt); do cat "$f" | grep -v "#" >> out; done',
  'case "$(uname -m)" in x86_64) A=amd64;; *) A=arm64;; esac',
  'cat <<EOF > /etc/x\nline $(id -u) `whoami`\nEOF\necho done',
  "echo 'single' \"double $(nested \"deep $(deeper)\")\" $'ansi\\n' `back \\`tick\\``",
  'f() { local x=${1:-default}; (( x++ )); [[ $x -gt 1 && -n $y ]] || return 1; }',
  'while read -r l; do echo "$l"; done < <(find . -name "*.py" -print0 | xargs -0 -n1)',
  'set -euxo pipefail; wget -q -O- https://x | tar xz -C /opt && ln -s /opt/x /usr/bin/x',
];

function mutate(random: () => number, text: string): string {
  let out = text;
  const steps = 1 + Math.floor(random() * 5);
  for (let step = 0; step < steps; step++) {
    const position = Math.floor(random() * (out.length + 1));
    switch (Math.floor(random() * 5)) {
      case 0:
        out = out.slice(0, position) + out.slice(position + 1 + Math.floor(random() * 8));
        break;
      case 1:
        out = out.slice(0, position) + FRAGMENTS[Math.floor(random() * FRAGMENTS.length)] + out.slice(position);
        break;
      case 2:
        out = out.slice(0, position) + out.slice(Math.floor(random() * out.length), position) + out.slice(position);
        break;
      case 3:
        out = out.slice(0, position);
        break;
      default:
        out = out.slice(0, position) + String.fromCharCode(32 + Math.floor(random() * 95)) + out.slice(position);
    }
  }
  return out;
}

function randomInput(random: () => number, index: number): string {
  switch (index % 3) {
    case 0: {
      const count = Math.floor(random() * 60);
      let out = '';
      for (let i = 0; i < count; i++) out += FRAGMENTS[Math.floor(random() * FRAGMENTS.length)];
      return out;
    }
    case 1:
      return mutate(random, CORPUS[Math.floor(random() * CORPUS.length)]!);
    default: {
      const alphabet = '"\'`$(){}[]<>|&;\\\n #=-ab!*\t';
      const length = Math.floor(random() * 120);
      let out = '';
      for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
      return out;
    }
  }
}

/** Checks every range in the result is ordered and within bounds; returns how many it checked. */
function checkRanges(parsed: ParsedScript, scriptLength: number, docLength: number): number {
  let checked = 0;
  const check = (range: Range, limit: number, what: string) => {
    checked++;
    if (!(Number.isInteger(range.start) && Number.isInteger(range.end) && range.start >= 0 && range.start <= range.end && range.end <= limit)) {
      assert.fail(`${what} range ${JSON.stringify(range)} out of bounds 0..${limit}`);
    }
  };
  const both = (node: { range: Range; docRange: Range }, what: string) => {
    check(node.range, scriptLength, what);
    check(node.docRange, docLength, what + ' (document)');
  };
  const parts = (list: readonly WordPart[]) => {
    for (const part of list) {
      check(part.range, scriptLength, part.kind);
      if (part.kind === 'double-quoted' || part.kind === 'parameter' || part.kind === 'arithmetic') parts(part.parts);
      if (part.kind === 'command-substitution') lists(part.lists);
    }
  };
  const word = (w: Word, insideBackticks: boolean) => {
    both(w, 'word');
    if (!insideBackticks && parsed.text.slice(w.range.start, w.range.end) !== w.raw) assert.fail(`word raw ${JSON.stringify(w.raw)} does not match its range`);
    parts(w.parts);
  };
  const command = (c: Command) => {
    both(c, 'command');
    const insideBackticks = c.context.some((f) => f.kind === 'substitution' && f.substitution.syntax === '`');
    const within = (inner: Range, what: string) => {
      if (inner.start < c.range.start || inner.end > c.range.end) assert.fail(`${what} ${JSON.stringify(inner)} outside its command ${JSON.stringify(c.range)}`);
    };
    if (c.type === 'simple') {
      for (const w of [...c.assignments.map((a) => a.word), ...(c.name ? [c.name] : []), ...c.args]) within(w.range, 'word');
    }
    for (const r of c.redirects) within(r.range, 'redirect');
    for (const r of c.redirects) {
      both(r, 'redirect');
      if (r.target) word(r.target, insideBackticks);
      if (r.hereDoc) {
        both(r.hereDoc, 'here-doc');
        parts(r.hereDoc.parts);
      }
    }
    if (c.type === 'simple') {
      for (const a of c.assignments) {
        word(a.word, insideBackticks);
        word(a.value, insideBackticks);
      }
      if (c.name) word(c.name, insideBackticks);
      for (const a of c.args) word(a, insideBackticks);
    } else {
      for (const w of c.words) word(w, insideBackticks);
      for (const clause of c.clauses) {
        for (const p of clause.patterns) word(p, insideBackticks);
        lists(clause.lists);
      }
    }
  };
  const lists = (all: readonly ParsedScript['lists'][number][]) => {
    for (const list of all) {
      both(list, 'list');
      for (const c of list.commands) command(c);
    }
  };
  lists(parsed.lists);
  for (const problem of parsed.problems) both(problem, 'problem');
  for (const comment of parsed.comments) both(comment, 'comment');
  return checked;
}

/** Puts the script into a fake document with continuations inserted, as a Dockerfile would. */
function embed(random: () => number, script: string): { document: string; segments: ReturnType<ScriptBuilder['build']>['segments'] } {
  const builder = new ScriptBuilder();
  let document = 'RUN ';
  let index = 0;
  while (index < script.length) {
    const take = 1 + Math.floor(random() * 30);
    const piece = script.slice(index, index + take);
    builder.append(piece, document.length);
    document += piece + ' \\\n';
    index += take;
  }
  return { document, segments: builder.build().segments };
}

describe('shell parser: robustness', () => {
  it('never throws and keeps every range in bounds on 10,000 random and mutated inputs', () => {
    const random = prng(0xbe47);
    let ranges = 0;
    for (let index = 0; index < 10_000; index++) {
      const script = randomInput(random, index);
      const mapped = index % 4 === 0;
      const { document, segments } = mapped ? embed(random, script) : { document: script, segments: undefined };
      let parsed: ParsedScript;
      try {
        parsed = parseShell(script, segments ? { offsets: segments } : {});
      } catch (error) {
        assert.fail(`threw on ${JSON.stringify(script)}: ${String(error)}`);
      }
      assert.ok(!parsed.problems.some((p) => p.code === 'internal-error'), `internal error on ${JSON.stringify(script)}: ${parsed.problems.map((p) => p.message)}`);
      try {
        ranges += checkRanges(parsed, script.length, document.length);
        allCommands(parsed);
        pipelines(parsed);
        isPipefailSet(parsed);
        for (const c of allCommands(parsed)) {
          unwrap(c);
          hasFlag(c, 'y', 'yes', ['-o']);
          positionalArgs(c, ['-o']);
        }
      } catch (error) {
        assert.fail(`on ${JSON.stringify(script)}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    assert.ok(ranges > 100_000, `checked ${ranges} ranges`);
  });

  it('parses a 1 MB script quickly', () => {
    const blocks = [
      'apt-get update && apt-get install -y --no-install-recommends curl=7.88 ca-certificates && rm -rf /var/lib/apt/lists/*\n',
      'if [ "$(uname -m)" = x86_64 ]; then ARCH=amd64; else ARCH=arm64; fi\n',
      'for f in a b c; do echo "$f" | tee -a /log; done\n',
      'cat <<EOF > /etc/conf\nkey=value $(date)\nEOF\n',
      "curl -fsSL https://example.com/x.tgz | tar -xz -C /opt --strip-components=1 # fetch\n",
    ];
    let script = '';
    for (let index = 0; script.length < 1_000_000; index++) script += blocks[index % blocks.length];
    const parsed = parseShell(script);
    assert.deepEqual(parsed.problems, []);
    assert.ok(allCommands(parsed).length > 20_000);
  });

  it('stays stack-safe on pathological inputs', () => {
    // Big enough that quadratic work would take minutes, small enough to keep the suite quick.
    const size = 60_000;
    const inputs = [
      '$('.repeat(size / 2),
      '$( '.repeat(size / 3),
      '('.repeat(size),
      '( '.repeat(size / 2),
      '"$(echo '.repeat(size / 8),
      '"${'.repeat(size / 3),
      '`'.repeat(size),
      "'".repeat(size),
      'if '.repeat(size / 3),
      'a|'.repeat(size / 2),
      '\\\n'.repeat(size / 2),
      '<<E\n'.repeat(size / 4),
      '{ '.repeat(size / 2),
      'x=$(('.repeat(size / 5),
      'case x in '.repeat(size / 10),
    ];
    for (const input of inputs) {
      const parsed = parseShell(input);
      assert.ok(!parsed.problems.some((p) => p.code === 'internal-error'), `internal error on ${JSON.stringify(input.slice(0, 12))}: ${parsed.problems[0]?.message}`);
    }
  });
});
