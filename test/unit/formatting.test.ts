import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { FormattingOptions, Position, Range, TextEdit } from 'vscode-languageserver-types';
import { analyzeDockerfile, type Instruction, type Token } from '../../server/src/dockerfile';
import { formatDockerfile, formatDockerfileOnType, formatDockerfileRange } from '../../server/src/service/formatting';
import { parseShell } from '../../server/src/shell';
import { copyUpTo, fuzzIterations, fuzzSeed, insertOneOf, mutator, pick, prng, removeUpTo, type Edit } from '../support/fuzz';

const SPACES: FormattingOptions = { tabSize: 4, insertSpaces: true };
const TABS: FormattingOptions = { tabSize: 4, insertSpaces: false };

const documentOf = (text: string) => TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, text);

function edits(text: string, options: FormattingOptions = SPACES): TextEdit[] {
  return formatDockerfile(documentOf(text), analyzeDockerfile(text), options);
}

/** Formats, and checks that formatting again changes nothing and that Docker reads the same instructions. */
function format(text: string, options: FormattingOptions = SPACES): string {
  const document = documentOf(text);
  const formatted = TextDocument.applyEdits(document, formatDockerfile(document, analyzeDockerfile(text), options));
  assert.deepEqual(edits(formatted, options), [], `formatting is not idempotent for ${JSON.stringify(text)}`);
  assert.deepEqual(meaning(formatted), meaning(text), `formatting changed the meaning of ${JSON.stringify(text)}`);
  return formatted;
}

function formatRange(text: string, range: Range, options: FormattingOptions = SPACES): string {
  const document = documentOf(text);
  const formatted = TextDocument.applyEdits(document, formatDockerfileRange(document, analyzeDockerfile(text), range, options));
  assert.deepEqual(meaning(formatted), meaning(text));
  return formatted;
}

function onType(text: string, position: Position, options: FormattingOptions = SPACES, ch = '\n'): TextEdit[] {
  return formatDockerfileOnType(documentOf(text), analyzeDockerfile(text), position, ch, options);
}

function applyOnType(text: string, position: Position, options: FormattingOptions = SPACES): string {
  return TextDocument.applyEdits(documentOf(text), onType(text, position, options));
}

// ---------------------------------------------------------------------------
// What Docker (and the shell) read, independent of the formatter's own logic

function meaning(text: string): unknown {
  const ast = analyzeDockerfile(text).ast;
  return {
    escape: ast.escapeChar,
    directives: ast.directives.map((directive) => [directive.name, directive.value, directive.active]),
    comments: ast.comments.map((comment) => comment.text),
    problems: ast.problems.map((problem) => problem.code),
    instructions: ast.instructions.map(instructionMeaning),
  };
}

function shellCommand(instruction: Instruction): Token | undefined {
  if (instruction.form === 'exec') return undefined;
  if (['RUN', 'CMD', 'ENTRYPOINT'].includes(instruction.name) && instruction.args.length === 1) return instruction.args[0];
  const command = instruction.healthcheck?.command;
  return command?.length === 1 ? command[0] : undefined;
}

function instructionMeaning(instruction: Instruction): unknown {
  const shell = shellCommand(instruction);
  const argument = (token: Token, index: number): unknown => {
    if (token === shell) return shellMeaning(token.value);
    if (instruction.name === 'FROM' && index === 1 && token.value.toLowerCase() === 'as') return 'as';
    if (instruction.name === 'HEALTHCHECK' && index === 0 && /^(cmd|none)$/i.test(token.value)) return token.value.toUpperCase();
    return token.value;
  };
  return {
    name: instruction.name,
    flags: instruction.flags.map((flag) => [flag.name, flag.value ?? null]),
    form: instruction.form ?? null,
    // Docker ignores what was read of malformed JSON (it falls back to the shell form).
    json: instruction.json?.valid ? instruction.json.elements.map((element) => element.value) : null,
    // ONBUILD's argument is its trigger as written (keyword casing included): compare the trigger instead.
    args: instruction.name === 'ONBUILD' ? null : instruction.args.map(argument),
    keyValues: (instruction.keyValues ?? []).map((pair) => [pair.key.value, pair.value?.value ?? null]),
    heredocs: instruction.heredocs.map((heredoc) => [heredoc.name, heredoc.content, heredoc.quoted, heredoc.stripLeadingTabs, !!heredoc.terminatorRange]),
    trigger: instruction.trigger ? instructionMeaning(instruction.trigger) : null,
  };
}

/** The shell's reading of a script: its syntax tree without positions (comments compared word by word). */
function shellMeaning(script: string): unknown {
  const parsed = parseShell(script);
  return {
    lists: withoutPositions(parsed.lists),
    comments: parsed.comments.map((comment) => comment.text.trim().split(/\s+/)),
    problems: parsed.problems.map((problem) => problem.code),
  };
}

function withoutPositions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutPositions);
  if (typeof node !== 'object' || node === null) return node;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'range' || key === 'docRange' || key === 'context' || typeof value === 'function') continue;
    result[key] = withoutPositions(value);
  }
  return result;
}

// ---------------------------------------------------------------------------

describe('document formatting', () => {
  it('upper-cases instruction keywords and AS, nothing else', () => {
    assert.equal(format('from alpine:3.20 as build\nrun echo From run && Apt-Get install\n'), 'FROM alpine:3.20 AS build\nRUN echo From run && Apt-Get install\n');
    assert.equal(format('From node As Base\nworkdir /App\ncopy . .\n'), 'FROM node AS Base\nWORKDIR /App\nCOPY . .\n');
  });

  it('returns one small edit per change, not a whole-document replacement', () => {
    const result = edits('from alpine\nRUN echo hi\nexpose 80\n');
    assert.deepEqual(result, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } }, newText: 'FROM' },
      { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 6 } }, newText: 'EXPOSE' },
    ]);
  });

  it('returns no edits for a formatted document', () => {
    const text = '# syntax=docker/dockerfile:1\nFROM alpine AS build\nRUN apk add --no-cache \\\n    curl \\\n    git\n\nCMD ["sh"]\n';
    assert.deepEqual(edits(text), []);
    assert.equal(format(text), text);
  });

  it('upper-cases ONBUILD triggers and HEALTHCHECK CMD / NONE', () => {
    assert.equal(format('FROM a\nonbuild   run   make install\n'), 'FROM a\nONBUILD RUN make install\n');
    assert.equal(format('FROM a\nhealthcheck --interval=30s cmd curl -f http://localhost/ || exit 1\n'), 'FROM a\nHEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1\n');
    assert.equal(format('FROM a\nhealthcheck none\n'), 'FROM a\nHEALTHCHECK NONE\n');
  });

  it('leaves unknown keywords as written', () => {
    assert.equal(format('FROM a\nfrobnicate  x  \n'), 'FROM a\nfrobnicate  x\n');
    assert.equal(format('FROM a\nonbuild  frobnicate  x\n'), 'FROM a\nONBUILD frobnicate  x\n');
  });

  it('puts one space between the keyword and its arguments', () => {
    assert.equal(format('FROM a\nRUN\t\techo hi\nENV    A=1\n'), 'FROM a\nRUN echo hi\nENV A=1\n');
    assert.equal(format('FROM a\nRUN   \\\n  echo hi\n'), 'FROM a\nRUN \\\n    echo hi\n');
    assert.equal(format('FROM a\nRUN\\\n  echo hi\n'), 'FROM a\nRUN \\\n    echo hi\n');
  });

  it('starts instructions at column 0', () => {
    assert.equal(format('   FROM a\n\trun b\n'), 'FROM a\nRUN b\n');
  });

  it('removes trailing whitespace and empties whitespace-only lines', () => {
    assert.equal(format('FROM a   \n   \nRUN b \\  \n  c\t\n\t\n'), 'FROM a\n\nRUN b \\\n    c\n\n');
  });

  it('keeps CRLF line endings', () => {
    assert.equal(format('from a  \r\nrun b \\  \r\n  c\r\n'), 'FROM a\r\nRUN b \\\r\n    c\r\n');
  });

  it('keeps comments and parser directives byte for byte', () => {
    const text = '# syntax=docker/dockerfile:1   \n#  escape = \\  \n\n  # an indented comment   \nFROM a\n#not a directive here\t\n';
    assert.equal(format(text), text);
    assert.equal(
      format('FROM a\nrun apt-get install -y \\\n  # pinned below   \n  curl\n'),
      'FROM a\nRUN apt-get install -y \\\n  # pinned below   \n    curl\n',
    );
  });

  it('keeps heredoc bodies and terminators byte for byte', () => {
    const body = '  apt-get update   \n\trun this \\\n\n';
    assert.equal(format(`FROM a\nrun <<EOF   \n${body}EOF\ncopy <<-CONF /etc/app.conf\n\tkey = value   \n\tCONF\nrun echo done  \n`),
      `FROM a\nRUN <<EOF\n${body}EOF\nCOPY <<-CONF /etc/app.conf\n\tkey = value   \n\tCONF\nRUN echo done\n`);
    assert.equal(format('FROM a\nonbuild run <<EOF\n  x  \nEOF\n'), 'FROM a\nONBUILD RUN <<EOF\n  x  \nEOF\n');
  });

  it('indents continuation lines by one unit', () => {
    assert.equal(format('FROM a\nRUN a && \\\nb && \\\nc\n'), 'FROM a\nRUN a && \\\n    b && \\\n    c\n');
    assert.equal(format('FROM a\nRUN a && \\\n  b && \\\n  c\n', { tabSize: 2, insertSpaces: true }), 'FROM a\nRUN a && \\\n  b && \\\n  c\n');
    assert.equal(format('FROM a\nRUN a && \\\n    b\n', { tabSize: 2, insertSpaces: true }), 'FROM a\nRUN a && \\\n  b\n');
    assert.equal(format('FROM a\nRUN a && \\\n    b\n', TABS), 'FROM a\nRUN a && \\\n\tb\n');
    assert.equal(format('FROM a\nCOPY --from=build \\\n  /src \\\n  /dst\n'), 'FROM a\nCOPY --from=build \\\n    /src \\\n    /dst\n');
  });

  it('keeps deeper nesting, one unit per level', () => {
    const tabbed = 'FROM a\nRUN set -eux; \\\n\tapt-get update; \\\n\tapt-get install -y \\\n\t\tca-certificates \\\n\t\tcurl \\\n\t; \\\n\trm -rf /var/lib/apt/lists/*\n';
    assert.deepEqual(edits(tabbed, TABS), []);
    assert.equal(format(tabbed), tabbed.replace(/\t\t/g, '        ').replace(/\t/g, '    '));
    assert.equal(format('FROM a\nRUN apt-get update && \\\napt-get install -y \\\n  curl \\\n  git\n'), 'FROM a\nRUN apt-get update && \\\n    apt-get install -y \\\n        curl \\\n        git\n');
  });

  it('never re-indents where the whitespace is part of a value', () => {
    const untouched = [
      'FROM a\nRUN echo "hello \\\n   world"\n', // inside a quoted string
      "FROM a\nRUN echo 'a \\\n   b'\n",
      'FROM a\nRUN ec\\\nho hi\n', // a word split over the lines
      'FROM a\nRUN\\\necho hi\n', // Docker reads the keyword RUNecho
      'FROM a\nENV MESSAGE hello \\\n   world\n', // legacy ENV: the value is the rest of the line
      'FROM a\nWORKDIR /a \\\n   b\n',
      'FROM a\nLABEL description="one \\\n   two"\n',
      'FROM a\nRUN --mount=type=cache,target="/a \\\n   b" make\n',
    ];
    for (const text of untouched) assert.equal(format(text), text, JSON.stringify(text));
    assert.equal(format('FROM a\nCMD ["echo", \\\n  "a b \\\n  c"]\n'), 'FROM a\nCMD ["echo", \\\n    "a b \\\n  c"]\n');
    assert.equal(format('FROM a\nENV A=1 \\\n  B="x \\\n  y"\n'), 'FROM a\nENV A=1 \\\n    B="x \\\n  y"\n');
  });

  it('follows the escape directive', () => {
    assert.equal(format('# escape=`\nfrom a\nrun echo C:\\ `\n  dir\n'), '# escape=`\nFROM a\nRUN echo C:\\ `\n    dir\n');
    // With a backtick escape, a trailing backslash does not continue the line.
    assert.equal(format('# escape=`\nFROM a\nRUN dir c:\\\n  run x\n'), '# escape=`\nFROM a\nRUN dir c:\\\nRUN x\n');
  });

  it('copes with broken and partial Dockerfiles', () => {
    assert.deepEqual(edits(''), []);
    assert.equal(format('run'), 'RUN');
    assert.equal(format('FROM a\nrun <<EOF\n  never ends  \n'), 'FROM a\nRUN <<EOF\n  never ends  \n');
    assert.equal(format('\\\n  run x\n'), '\\\n    RUN x\n');
    assert.equal(format('FROM a\nRUN echo "unterminated \\\n  more\n'), 'FROM a\nRUN echo "unterminated \\\n  more\n');
    assert.equal(format('FROM a\nRUN echo \\\n'), 'FROM a\nRUN echo \\\n');
    assert.equal(format('FROM a\nRUN echo \\\n\n# trailing\n'), 'FROM a\nRUN echo \\\n\n# trailing\n');
    assert.equal(format('r\\\nun x\n'), 'r\\\nun x\n');
    assert.equal(format('FROM a\nCMD [ "unclosed\n'), 'FROM a\nCMD [ "unclosed\n');
  });

  it('does nothing with a model of another version of the document', () => {
    const document = documentOf('from a\n');
    assert.deepEqual(formatDockerfile(document, analyzeDockerfile('from b\n'), SPACES), []);
  });

  it('tolerates odd formatting options', () => {
    assert.equal(format('FROM a\nRUN a \\\nb\n', { tabSize: 0, insertSpaces: true }), 'FROM a\nRUN a \\\n    b\n');
    assert.equal(format('FROM a\nRUN a \\\nb\n', { tabSize: Number.NaN, insertSpaces: false }), 'FROM a\nRUN a \\\n\tb\n');
    assert.equal(format('FROM a\nRUN a \\\nb\n', { tabSize: 1e9, insertSpaces: true }).split('\n')[2].length, 65);
  });
});

describe('range formatting', () => {
  const text = 'from a\nrun  b\n   \nrun c \\\n  d  \nrun  e\n';

  it('formats only the instructions the range touches', () => {
    assert.equal(formatRange(text, { start: { line: 1, character: 2 }, end: { line: 1, character: 2 } }), 'from a\nRUN b\n   \nrun c \\\n  d  \nrun  e\n');
    assert.equal(formatRange(text, { start: { line: 4, character: 0 }, end: { line: 4, character: 1 } }), 'from a\nrun  b\n   \nRUN c \\\n    d\nrun  e\n');
  });

  it('includes whitespace-only lines inside the range, and a selection of whole lines stops at its end', () => {
    assert.equal(formatRange(text, { start: { line: 1, character: 0 }, end: { line: 3, character: 0 } }), 'from a\nRUN b\n\nrun c \\\n  d  \nrun  e\n');
  });

  it('accepts a reversed range', () => {
    assert.equal(formatRange(text, { start: { line: 1, character: 4 }, end: { line: 0, character: 1 } }), 'FROM a\nRUN b\n   \nrun c \\\n  d  \nrun  e\n');
  });
});

describe('on-type formatting', () => {
  it('indents the line after a continuation', () => {
    assert.equal(applyOnType('FROM a\nRUN apt-get update && \\\n\n', { line: 2, character: 0 }), 'FROM a\nRUN apt-get update && \\\n    \n');
    assert.equal(applyOnType('FROM a\nRUN apt-get update && \\\n  ', { line: 2, character: 2 }), 'FROM a\nRUN apt-get update && \\\n    ');
    assert.equal(applyOnType('FROM a\nRUN apt-get update && \\\n', { line: 2, character: 0 }, TABS), 'FROM a\nRUN apt-get update && \\\n\t');
    assert.equal(applyOnType('FROM a\nRUN a \\\n', { line: 2, character: 0 }, { tabSize: 2, insertSpaces: true }), 'FROM a\nRUN a \\\n  ');
  });

  it('keeps the depth of the continuation line above', () => {
    assert.equal(applyOnType('FROM a\nRUN apt-get install \\\n        curl \\\n', { line: 3, character: 0 }), 'FROM a\nRUN apt-get install \\\n        curl \\\n        ');
    assert.equal(applyOnType('FROM a\nRUN a \\\n  b \\\n', { line: 3, character: 0 }), 'FROM a\nRUN a \\\n  b \\\n    ');
  });

  it('moves text after the cursor to the continuation indentation', () => {
    assert.equal(applyOnType('FROM a\nRUN a && \\\nb\n', { line: 2, character: 0 }), 'FROM a\nRUN a && \\\n    b\n');
  });

  it('follows the escape directive', () => {
    assert.equal(applyOnType('# escape=`\nFROM a\nRUN dir `\n', { line: 3, character: 0 }), '# escape=`\nFROM a\nRUN dir `\n    ');
    assert.deepEqual(onType('# escape=`\nFROM a\nRUN dir c:\\\n', { line: 3, character: 0 }), []);
  });

  it('does nothing where the line above does not continue an instruction', () => {
    assert.deepEqual(onType('FROM a\nRUN a\n', { line: 2, character: 0 }), []);
    assert.deepEqual(onType('FROM a\n# note \\\n', { line: 2, character: 0 }), []);
    assert.deepEqual(onType('FROM a\nRUN echo \\\\\n', { line: 2, character: 0 }), []);
    assert.deepEqual(onType('FROM a\nRUN <<EOF\necho \\\n\nEOF\n', { line: 3, character: 0 }), []);
    assert.deepEqual(onType('FROM a\nRUN a \\\n', { line: 2, character: 0 }, SPACES, ';'), []);
    assert.deepEqual(onType('RUN a \\\n', { line: 0, character: 0 }), []);
    assert.deepEqual(onType('', { line: 5, character: 0 }), []);
  });

  it('does not change whitespace inside a string', () => {
    assert.deepEqual(onType('FROM a\nRUN echo "a \\\nb"\n', { line: 2, character: 0 }), []);
  });
});

// ---------------------------------------------------------------------------
// Fuzz: seeded mutations of real-looking Dockerfiles

const ITERATIONS = fuzzIterations(2500, 'BERTH_FORMAT_FUZZ_ITERATIONS');
const SEED = fuzzSeed(0xf0a7);

const SEEDS = [
  '# syntax=docker/dockerfile:1\nARG NODE=20\nFROM node:${NODE}-alpine AS deps\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\n\nFROM deps AS build\nCOPY . .\nRUN npm run build && \\\n    npm prune --production\n\nFROM gcr.io/distroless/nodejs20\nCOPY --from=build /app/dist /app\nUSER nonroot\nCMD ["/app/server.js"]\n',
  'FROM debian:bookworm-slim\nRUN set -eux; \\\n\tapt-get update; \\\n\tapt-get install -y --no-install-recommends \\\n\t\tca-certificates \\\n\t\tcurl \\\n\t; \\\n\trm -rf /var/lib/apt/lists/*\nENV LANG C.UTF-8\nENV PATH=/usr/local/bin:$PATH \\\n    HOME="/home/app user"\nHEALTHCHECK --interval=30s --timeout=3s \\\n  CMD curl -f http://localhost/ || exit 1\n',
  '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN Write-Host "a b" ; `\n    Get-ChildItem C:\\ `\n    | Out-Null\nCOPY app C:\\app\\\nWORKDIR C:\\app\n',
  'FROM alpine\nRUN <<EOF\napk add --no-cache curl   \n  if [ -f /x ]; then echo yes; fi\nEOF\nCOPY <<-EOT /etc/motd\n\tWelcome   \n\tEOT\nRUN cat <<A && cat <<"B"\nfirst\nA\nsecond $HOME\nB\n',
  'from python:3.12 as base\nlabel maintainer="me" \\\n      version="1.0 beta"\narg PIP_NO_CACHE_DIR=1\nrun pip install \\\n    --no-cache-dir \\\n    -r requirements.txt\nexpose 8000/tcp 9000\nvolume ["/data", \\\n  "/logs"]\nonbuild copy . /src\nonbuild run make \\\n  install\nstopsignal SIGTERM\nentrypoint ["python", "-m", \\\n    "app"]\n',
  'FROM golang:1.22 AS build\nRUN --mount=type=cache,target=/root/.cache/go-build \\\n    --mount=type=bind,source=.,target=/src \\\n    go build -o /out/app ./cmd/app\nFROM scratch\nCOPY --from=build --chmod=755 /out/app /app\nENTRYPOINT /app --listen ":8080"\n',
  'FROM ubuntu\nRUN echo "multi \\\n  line string" && \\\n    echo \'single \\\n  quoted\' && \\\n    VAR=$(cat /etc/os-release | grep \\\n      ID) && \\\n    case "$VAR" in a) echo a;; *) echo other;; esac\nRUN echo ${HOME:-/root} $((1 + \\\n  2)) `date \\\n  +%s`\n',
  'FROM a\n  # comment inside   \nRUN a \\\n  # inner comment\n\n  b \\\n   \n  c\nENV OLD legacy value \\\n  continued\nUSER app:app\nADD --checksum=sha256:abc https://example.com/x.tgz /tmp/\nMAINTAINER someone <a@b.c>\n',
  'FROM a\nRUN\\\n  echo\nRUN ec\\\nho\nRUN echo \\\\\nRUN echo \\\\\\\nCMD ["a", "b\\"c", \\\n "d"] trailing\n',
  'FROM a\nHEALTHCHECK NONE\nHEALTHCHECK CMD ["curl", \\\n  "-f", "http://x"]\nONBUILD ONBUILD RUN x\nONBUILD HEALTHCHECK cmd \\\n  true\nARG A B=2 \\\n  C="3 4"\n',
];

const FRAGMENTS = [
  '\\\n', '\\\n  ', '\\\n\t', '\n', '\n    ', ' ', '  ', '\t', '"', "'", '`', '`\n', '$', '${', '}', '$(', ')', '[', ']', ',', '=', '--', '#', '\n# c  \n',
  '<<EOF\n', '\nEOF\n', '<<-X\n', '\n\tX\n', '&&', '|', ';', 'run ', 'from ', ' as ', 'onbuild ', 'healthcheck cmd ', 'env A b \\\n c',
  '\r\n', '\r', '   \n', ' \\   \n', '\\\\\n', '\u00a0', '\u000b', '\u00e9', '\ud83d\ude00', '# escape=`\n', '# escape=\\\n',
];

/** Changes the indentation of the line holding `at`. */
const reindentLine: Edit = (random, text, at) => {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  let blankEnd = lineStart;
  while (text[blankEnd] === ' ' || text[blankEnd] === '\t') blankEnd++;
  return text.slice(0, lineStart) + pick(random, [' ', '  ', '\t', '        ', '\t\t', ' \t', '']) + text.slice(blankEnd);
};

/** Lower- or upper-cases up to 12 characters. */
const flipCase: Edit = (random, text, at) => {
  const end = Math.min(text.length, at + 1 + Math.floor(random() * 12));
  const stretch = text.slice(at, end);
  return text.slice(0, at) + (random() < 0.5 ? stretch.toLowerCase() : stretch.toUpperCase()) + text.slice(end);
};

const mutate = mutator(6, [
  [0.45, insertOneOf(FRAGMENTS)],
  [0.65, removeUpTo(6)],
  [0.8, reindentLine],
  [0.9, flipCase],
  [1, copyUpTo(40)],
]);

describe('formatting fuzz', () => {
  it(`never throws, is idempotent and keeps the meaning on ${ITERATIONS} mutated Dockerfiles (seed ${SEED})`, () => {
    const random = prng(SEED);
    const optionSets: FormattingOptions[] = [SPACES, TABS, { tabSize: 2, insertSpaces: true }, { tabSize: 8, insertSpaces: false }];
    for (const seed of SEEDS) format(seed);
    for (let i = 0; i < ITERATIONS; i++) {
      const text = mutate(random, SEEDS[i % SEEDS.length]);
      const options = optionSets[i % optionSets.length];
      const context = `iteration ${i}: ${JSON.stringify(text)}`;
      const document = documentOf(text);
      const model = analyzeDockerfile(text);
      const result = formatDockerfile(document, model, options);
      assertDisjoint(document, result, context);
      const formatted = TextDocument.applyEdits(document, result);
      assert.deepEqual(edits(formatted, options), [], `not idempotent, ${context}`);
      assert.deepEqual(meaning(formatted), meaning(text), `meaning changed, ${context}`);

      const lines = document.lineCount;
      const a = { line: Math.floor(random() * (lines + 1)), character: Math.floor(random() * 12) };
      const b = { line: Math.floor(random() * (lines + 1)), character: Math.floor(random() * 12) };
      const ranged = formatDockerfileRange(document, model, { start: a, end: b }, options);
      assertDisjoint(document, ranged, context);
      assert.deepEqual(meaning(TextDocument.applyEdits(document, ranged)), meaning(text), `range formatting changed the meaning, ${context}`);

      const typed = formatDockerfileOnType(document, model, { line: a.line, character: 0 }, '\n', options);
      assert.deepEqual(meaning(TextDocument.applyEdits(document, typed)), meaning(text), `on-type formatting changed the meaning, ${context}`);
    }
  });
});

function assertDisjoint(document: TextDocument, result: TextEdit[], context: string): void {
  let lastEnd = -1;
  for (const edit of result) {
    const start = document.offsetAt(edit.range.start);
    const end = document.offsetAt(edit.range.end);
    assert.ok(start >= lastEnd && end >= start, `overlapping edits, ${context}`);
    assert.notEqual(document.getText(edit.range), edit.newText, `an edit that changes nothing, ${context}`);
    lastEnd = end;
  }
}
