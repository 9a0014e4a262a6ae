import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { prng } from '../support/fuzz';

import {
  buildModel,
  expandVariables,
  expansionSyntaxError,
  extractVariableReferences,
  LineIndex,
  LogicalLine,
  parseDockerfile,
  splitImageReference,
  type DockerfileAst,
  type Instruction,
  type TextRange,
} from '../../server/src/dockerfile/index';

/** The source text a range covers. */
function at(text: string, range: TextRange | undefined): string | undefined {
  return range === undefined ? undefined : text.slice(range.start, range.end);
}

function parseClean(text: string): DockerfileAst {
  const ast = parseDockerfile(text);
  assert.deepEqual(ast.problems, [], 'expected no parse problems');
  return ast;
}

function single(text: string): { ast: DockerfileAst; instruction: Instruction } {
  const ast = parseClean(text);
  assert.equal(ast.instructions.length, 1);
  return { ast, instruction: ast.instructions[0] };
}

const lines = (...parts: string[]): string => parts.join('\n');

describe('LineIndex', () => {
  it('converts offsets and positions for \\n, \\r\\n and \\r line breaks', () => {
    const text = 'ab\ncd\r\nef\rgh';
    const index = new LineIndex(text);
    assert.equal(index.lineCount, 4);
    assert.deepEqual(index.positionAt(0), { line: 0, character: 0 });
    assert.deepEqual(index.positionAt(4), { line: 1, character: 1 });
    assert.deepEqual(index.positionAt(8), { line: 2, character: 1 });
    assert.deepEqual(index.positionAt(11), { line: 3, character: 1 });
    assert.equal(index.offsetAt({ line: 2, character: 0 }), 7);
    assert.equal(index.offsetAt({ line: 3, character: 2 }), 12);
    for (let offset = 0; offset <= text.length; offset++) {
      if (text[offset - 1] === '\r' && text[offset] === '\n') continue; // inside a \r\n pair
      assert.equal(index.offsetAt(index.positionAt(offset)), offset);
    }
  });

  it('clamps out-of-range input like LSP text documents', () => {
    const index = new LineIndex('abc\ndef');
    assert.deepEqual(index.positionAt(-5), { line: 0, character: 0 });
    assert.deepEqual(index.positionAt(99), { line: 1, character: 3 });
    assert.equal(index.offsetAt({ line: 0, character: 99 }), 3, 'stays before the line break');
    assert.equal(index.offsetAt({ line: 9, character: 0 }), 7);
    assert.equal(index.offsetAt({ line: -1, character: 4 }), 0);
    assert.deepEqual(index.toPositionRange({ start: 1, end: 5 }), {
      start: { line: 0, character: 1 },
      end: { line: 1, character: 1 },
    });
    assert.deepEqual(index.toTextRange({ start: { line: 0, character: 1 }, end: { line: 1, character: 1 } }), { start: 1, end: 5 });
    assert.equal(index.lineEnd(0), 3);
    assert.equal(index.lineStart(1), 4);
  });

  it("places every offset of a parsed text on the editor's line and column", () => {
    // The parser hands its own line split to the index; the editor's document is the reference.
    const texts = ['', '\n', 'FROM a', 'FROM a\n', '\ufeffFROM a\nRUN b\n\n', 'a\n\n\nb', 'FROM a\r\nRUN b\r\n', 'FROM a\rRUN b', 'RUN a \\\n  b\n# c\n'];
    for (const text of texts) {
      const index = parseDockerfile(text).lineIndex;
      const document = TextDocument.create('file:///Dockerfile', 'dockerfile', 1, text);
      assert.equal(index.lineCount, document.lineCount, JSON.stringify(text));
      for (let offset = 0; offset <= text.length; offset++) {
        if (text[offset - 1] === '\r' && text[offset] === '\n') continue; // inside a \r\n pair, which the editor's document moves
        assert.deepEqual(index.positionAt(offset), document.positionAt(offset), `${JSON.stringify(text)} at ${offset}`);
      }
    }
  });

  it('is exposed on the syntax tree', () => {
    const ast = parseClean('FROM a\nRUN b');
    assert.deepEqual(ast.lineIndex.positionAt(ast.instructions[1].keywordRange.start), { line: 1, character: 0 });
  });
});

describe('LogicalLine', () => {
  it('maps logical indices to document offsets, keeping range ends on the earlier line', () => {
    const source = 'RUN ab\\\n  cd\\\n\\\nef';
    const logical = LogicalLine.build(source, [
      [0, 6],
      [8, 12],
      [14, 14],
      [16, 18],
    ]);
    assert.equal(logical.text, 'RUN ab  cdef');
    assert.equal(logical.segmentCount, 4);
    assert.equal(logical.sourceOffset(6), 8, 'a start at a boundary is on the next line');
    assert.equal(logical.sourceEnd(6), 6, 'an end at a boundary stays on the previous line');
    assert.equal(logical.sourceOffset(10), 16, 'an empty piece is skipped');
    assert.equal(logical.sourceEnd(12), 18);
    assert.equal(at(source, logical.sourceRange(4, 12)), 'ab\\\n  cd\\\n\\\nef');
    assert.deepEqual(logical.sourceRange(6, 6), { start: 6, end: 6 });
    assert.deepEqual(logical.token(8, 10), { value: 'cd', range: { start: 10, end: 12 }, logicalRange: { start: 8, end: 10 } });
    const slice = LogicalLine.fromSlice(source, 4, 6);
    assert.deepEqual(slice.sourceRange(0, 2), { start: 4, end: 6 });
    assert.equal(slice.sourceOffset(99), 6, 'indices are clamped');
  });
});

describe('parser directives', () => {
  it('reads syntax, escape and check with case-insensitive names and exact ranges', () => {
    const text = lines('# Syntax = docker/dockerfile:1.7', '#ESCAPE=`', '# check=skip=JSONArgsRecommended;error=true', 'FROM alpine');
    const ast = parseClean(text);
    assert.deepEqual(
      ast.directives.map((d) => [d.name, d.rawName, d.value, d.active]),
      [
        ['syntax', 'Syntax', 'docker/dockerfile:1.7', true],
        ['escape', 'ESCAPE', '`', true],
        ['check', 'check', 'skip=JSONArgsRecommended;error=true', true],
      ],
    );
    assert.equal(at(text, ast.directives[0].nameRange), 'Syntax');
    assert.equal(at(text, ast.directives[0].valueRange), 'docker/dockerfile:1.7');
    assert.equal(at(text, ast.directives[0].range), '# Syntax = docker/dockerfile:1.7');
    assert.equal(ast.escapeChar, '`');
    assert.equal(ast.comments.length, 0, 'directives are not comments');
  });

  it('stops looking for directives after an instruction, a comment or an empty line', () => {
    for (const separator of ['FROM a', '# just a comment', '']) {
      const text = lines('# syntax=x', separator, '# escape=`', 'RUN a');
      const ast = parseClean(text);
      assert.deepEqual(ast.directives.map((d) => d.name), ['syntax'], `after ${JSON.stringify(separator)}`);
      assert.equal(ast.escapeChar, '\\');
      assert.ok(ast.comments.some((c) => c.text === 'escape=`'));
    }
  });

  it('ends the directive section at an unknown directive name', () => {
    const ast = parseClean(lines('# foo=bar', '# escape=`', 'FROM a'));
    assert.deepEqual(ast.directives, []);
    assert.deepEqual(ast.comments.map((c) => c.text), ['foo=bar', 'escape=`']);
  });

  it('accepts leading whitespace before #', () => {
    const ast = parseClean(lines('   # escape=`', 'FROM a'));
    assert.equal(ast.escapeChar, '`');
  });

  it('reports an invalid escape value with its range and keeps the default', () => {
    const text = lines('# escape=x', 'RUN a \\', '  b');
    const ast = parseDockerfile(text);
    assert.equal(ast.problems.length, 1);
    assert.equal(ast.problems[0].code, 'invalid-escape-directive');
    assert.equal(at(text, ast.problems[0].range), 'x');
    assert.equal(ast.escapeChar, '\\');
    assert.equal(ast.instructions[0].args[0].value, 'a   b');
  });

  it('reports a repeated directive', () => {
    const text = lines('# syntax=a', '# SYNTAX=b', 'FROM a');
    const ast = parseDockerfile(text);
    assert.deepEqual(ast.problems.map((p) => [p.code, at(text, p.range)]), [['duplicate-directive', '# SYNTAX=b']]);
    assert.deepEqual(ast.directives.map((d) => d.active), [true, false]);
  });

  it('records directives after a #! line but does not apply escape there', () => {
    const ast = parseClean(lines('#!/usr/bin/env dockerfile', '# syntax=docker/dockerfile:1', '# escape=`', 'FROM a'));
    assert.deepEqual(ast.directives.map((d) => [d.name, d.active]), [['syntax', true], ['escape', false]]);
    assert.equal(ast.escapeChar, '\\');
  });

  it('skips a UTF-8 byte order mark', () => {
    const text = '\ufeff# escape=`\nFROM a';
    const ast = parseClean(text);
    assert.equal(ast.escapeChar, '`');
    assert.equal(at(text, ast.instructions[0].keywordRange), 'FROM');
  });
});

describe('instructions and keywords', () => {
  it('matches keywords case-insensitively and keeps the original text and range', () => {
    const text = lines('  from alpine', 'rUn echo hi', 'FOO bar baz');
    const ast = parseClean(text);
    assert.deepEqual(ast.instructions.map((i) => [i.name, i.keyword, at(text, i.keywordRange), i.known]), [
      ['FROM', 'from', 'from', true],
      ['RUN', 'rUn', 'rUn', true],
      ['FOO', 'FOO', 'FOO', false],
    ]);
    assert.equal(at(text, ast.instructions[0].range), 'from alpine');
    assert.deepEqual(ast.instructions[2].args.map((a) => a.value), ['bar', 'baz'], 'unknown instructions keep their words');
  });

  it('recognises only whole known keywords, in ASCII letters', () => {
    const text = lines('RUNS a', 'R b', 'add c d', 'Arg E', 'HEALTHCHECKS f', '\u0410DD g h', 'ＲＵＮ i', 'entrypoint j');
    const ast = parseDockerfile(text);
    assert.deepEqual(ast.instructions.map((i) => [i.name, i.keyword, i.known]), [
      ['RUNS', 'RUNS', false],
      ['R', 'R', false],
      ['ADD', 'add', true],
      ['ARG', 'Arg', true],
      ['HEALTHCHECKS', 'HEALTHCHECKS', false],
      ['\u0410DD', '\u0410DD', false],
      ['ＲＵＮ', 'ＲＵＮ', false],
      ['ENTRYPOINT', 'entrypoint', true],
    ]);
  });

  it('ends a keyword written in capitals at a tab or at the end of the line', () => {
    const text = lines('RUN\techo hi', 'COPY', 'ENVX a', 'EN b');
    const ast = parseDockerfile(text);
    assert.deepEqual(ast.instructions.map((i) => [i.name, at(text, i.keywordRange), i.known, i.argsText]), [
      ['RUN', 'RUN', true, 'echo hi'],
      ['COPY', 'COPY', true, ''],
      ['ENVX', 'ENVX', false, 'a'],
      ['EN', 'EN', false, 'b'],
    ]);
  });

  it('gives USER, WORKDIR, STOPSIGNAL and MAINTAINER one argument with the whole text', () => {
    const text = lines('USER app:app', 'WORKDIR /my dir', 'STOPSIGNAL SIGTERM', 'MAINTAINER Jane Doe <j@example.com>');
    const ast = parseClean(text);
    assert.deepEqual(ast.instructions.map((i) => i.args.map((a) => at(text, a.range))), [
      ['app:app'],
      ['/my dir'],
      ['SIGTERM'],
      ['Jane Doe <j@example.com>'],
    ]);
  });

  it('splits EXPOSE, VOLUME and shell-form COPY/ADD on whitespace', () => {
    const text = lines('EXPOSE 80/tcp  443', 'VOLUME /a /b', 'COPY a.txt "b c" /dst/', 'ADD\thttps://x/y.tgz /opt/');
    const ast = parseClean(text);
    assert.deepEqual(ast.instructions.map((i) => i.args.map((a) => at(text, a.range))), [
      ['80/tcp', '443'],
      ['/a', '/b'],
      ['a.txt', '"b', 'c"', '/dst/'],
      ['https://x/y.tgz', '/opt/'],
    ]);
    assert.deepEqual(ast.instructions.map((i) => i.form), [undefined, 'shell', 'shell', 'shell']);
  });

  it('keeps an instruction without arguments', () => {
    const text = 'CMD\nRUN   \nEXPOSE';
    const ast = parseClean(text);
    assert.deepEqual(ast.instructions.map((i) => [i.name, i.args.length, i.argsRange]), [
      ['CMD', 0, undefined],
      ['RUN', 0, undefined],
      ['EXPOSE', 0, undefined],
    ]);
  });

  it('attaches comments the way BuildKit does', () => {
    const text = lines('# syntax=x', '# first', '', '# second', 'FROM a', '# gone', '#', '# kept', 'RUN b', 'RUN c');
    const ast = parseClean(text);
    assert.deepEqual(ast.instructions.map((i) => i.comments.map((c) => c.text)), [['first', 'second'], ['kept'], []]);
    assert.equal(at(text, ast.instructions[1].comments[0].range), '# kept');
    assert.deepEqual(ast.comments.map((c) => c.text), ['first', 'second', 'gone', '', 'kept']);
  });
});

describe('line continuations', () => {
  it('joins continued lines without a separator and maps tokens back to the document', () => {
    const text = lines('RUN apt-get update && \\', '    apt-get install -y \\  ', '      curl');
    const { instruction } = single(text);
    assert.equal(instruction.args[0].value, 'apt-get update &&     apt-get install -y       curl');
    assert.equal(at(text, instruction.args[0].range), text.slice(4));
    assert.equal(at(text, instruction.range), text);
    assert.equal(instruction.logical.segmentCount, 3);
  });

  it('maps words split across a continuation to a range spanning it', () => {
    const text = lines('EXPOSE 80 44\\', '3 8080');
    const { instruction } = single(text);
    assert.deepEqual(instruction.args.map((a) => a.value), ['80', '443', '8080']);
    assert.equal(at(text, instruction.args[1].range), '44\\\n3');
    assert.equal(at(text, instruction.args[2].range), '8080');
  });

  it('does not continue after a doubled escape (BuildKit: ([^\\\\])\\\\[ \\t]*$)', () => {
    const text = lines('RUN echo \\\\', 'RUN next');
    const ast = parseClean(text);
    assert.equal(ast.instructions.length, 2);
    assert.equal(ast.instructions[0].args[0].value, 'echo \\\\');
    const tripled = parseClean(lines('RUN echo \\\\\\', 'RUN next'));
    assert.equal(tripled.instructions.length, 2, 'an escaped escape followed by an escape is not a continuation either');
  });

  it('continues from a line holding only the escape character', () => {
    const text = lines('RUN a \\', '\\', 'b');
    const { instruction } = single(text);
    assert.equal(instruction.args[0].value, 'a b');
  });

  it('skips comment lines and empty lines inside an instruction but records them', () => {
    const text = lines('RUN one \\', '  # a comment', '', '   ', '  two', 'RUN three');
    const ast = parseClean(text);
    const [run] = ast.instructions;
    assert.equal(run.args[0].value, 'one   two');
    assert.deepEqual(run.innerComments.map((c) => [c.text, at(text, c.range), c.insideInstruction]), [
      ['a comment', '# a comment', true],
    ]);
    assert.deepEqual(run.emptyContinuationLines.map((r) => at(text, r)), ['', '   ']);
    assert.equal(ast.lineIndex.positionAt(run.emptyContinuationLines[0].start).line, 2);
    assert.equal(at(text, run.range), text.slice(0, text.indexOf('\nRUN three')));
    assert.equal(ast.instructions[1].args[0].value, 'three');
  });

  it('keeps continuing through empty lines, as BuildKit does', () => {
    const text = lines('RUN a \\', '', 'FROM b');
    const { instruction } = single(text);
    assert.equal(instruction.args[0].value, 'a FROM b');
    assert.equal(instruction.emptyContinuationLines.length, 1);
  });

  it('honours a backtick escape character', () => {
    const text = lines('# escape=`', 'RUN dir c:\\ `', '  /s', 'COPY a\\ b c:\\dst\\');
    const ast = parseClean(text);
    assert.equal(ast.instructions.length, 2);
    assert.equal(ast.instructions[0].args[0].value, 'dir c:\\   /s');
    assert.deepEqual(ast.instructions[1].args.map((a) => a.value), ['a\\', 'b', 'c:\\dst\\']);
  });

  it('handles CRLF line endings', () => {
    const text = 'FROM a\r\nRUN x \\\r\n  y\r\nCMD z\r\n';
    const ast = parseClean(text);
    assert.deepEqual(ast.instructions.map((i) => at(text, i.range)), ['FROM a', 'RUN x \\\r\n  y', 'CMD z']);
    assert.equal(ast.instructions[1].args[0].value, 'x   y');
  });

  it('ends an instruction continued at end of file', () => {
    const text = 'RUN a \\';
    const { instruction } = single(text);
    assert.equal(instruction.args[0].value, 'a');
    assert.equal(at(text, instruction.range), text);
  });
});

describe('flags', () => {
  it('parses --name=value and --name with exact name and value ranges', () => {
    const text = 'COPY --from=build --chown=1000:1000 --chmod=755 --link --parents --exclude=*.md src/ /dst/';
    const { instruction } = single(text);
    assert.deepEqual(
      instruction.flags.map((f) => [f.name, f.value, at(text, f.range), at(text, f.nameRange), at(text, f.valueRange)]),
      [
        ['from', 'build', '--from=build', 'from', 'build'],
        ['chown', '1000:1000', '--chown=1000:1000', 'chown', '1000:1000'],
        ['chmod', '755', '--chmod=755', 'chmod', '755'],
        ['link', undefined, '--link', 'link', undefined],
        ['parents', undefined, '--parents', 'parents', undefined],
        ['exclude', '*.md', '--exclude=*.md', 'exclude', '*.md'],
      ],
    );
    assert.deepEqual(instruction.args.map((a) => a.value), ['src/', '/dst/']);
    assert.equal(at(text, instruction.argsRange), 'src/ /dst/');
  });

  it('removes quotes from values but keeps the raw value range', () => {
    const text = 'RUN --mount=type=bind,source="a b",target=/x --network=none --security=insecure echo';
    const { instruction } = single(text);
    const [mount, network, security] = instruction.flags;
    assert.equal(mount.value, 'type=bind,source=a b,target=/x');
    assert.equal(mount.rawValue, 'type=bind,source="a b",target=/x');
    assert.equal(at(text, mount.valueRange), 'type=bind,source="a b",target=/x');
    assert.equal(network.value, 'none');
    assert.equal(security.value, 'insecure');
    assert.equal(instruction.args[0].value, 'echo');
  });

  it('reads a flag alike with or without quotes in it, keeping what was written', () => {
    const text = lines('RUN --network=host a', 'RUN --network="host" a', 'RUN --"network"=host a', 'RUN --network a', 'RUN --network= a', 'RUN --=x a');
    const ast = parseClean(text);
    assert.deepEqual(
      ast.instructions.map(({ flags: [flag] }) => [flag.name, flag.value, flag.rawValue, at(text, flag.nameRange), at(text, flag.valueRange), at(text, flag.range)]),
      [
        ['network', 'host', 'host', 'network', 'host', '--network=host'],
        ['network', 'host', '"host"', 'network', '"host"', '--network="host"'],
        // The name's range starts after `--` and any quote there, and ends at `=`.
        ['network', 'host', 'host', 'network"', 'host', '--"network"=host'],
        ['network', undefined, undefined, 'network', undefined, '--network'],
        ['network', '', '', 'network', '', '--network='],
        ['', 'x', 'x', '', 'x', '--=x'],
      ],
    );
    assert.ok(ast.instructions.every((instruction) => instruction.args[0]?.value === 'a'));
  });

  it('does not take the next word as a flag value and stops at -- or the first non-flag word', () => {
    const text = 'COPY --from stage --keep-git-dir=true -- --not-a-flag /dst';
    const { instruction } = single(text);
    assert.deepEqual(instruction.flags.map((f) => [f.name, f.value]), [['from', undefined]]);
    assert.deepEqual(instruction.args.map((a) => a.value), ['stage', '--keep-git-dir=true', '--', '--not-a-flag', '/dst']);
    const dashes = single('RUN --network=host -- --version').instruction;
    assert.deepEqual(dashes.flags.map((f) => f.name), ['network']);
    assert.equal(dashes.args[0].value, '--version');
  });

  it('extracts flags generically for any instruction', () => {
    const text = lines(
      'FROM --platform=$BUILDPLATFORM alpine',
      'ADD --checksum=sha256:abc --keep-git-dir https://x /y',
      'ENV --bogus=1 A=b',
      'HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --start-interval=1s --retries=3 CMD true',
    );
    const ast = parseClean(text);
    assert.deepEqual(ast.instructions.map((i) => i.flags.map((f) => f.name)), [
      ['platform'],
      ['checksum', 'keep-git-dir'],
      ['bogus'],
      ['interval', 'timeout', 'start-period', 'start-interval', 'retries'],
    ]);
    assert.equal(ast.instructions[2].keyValues?.[0].key.value, 'A');
  });

  it('reads plain flags after a quoted one, in order', () => {
    const text = 'COPY --chown="a b" --from=x --link --chmod=644 src dst';
    const { instruction } = single(text);
    assert.deepEqual(instruction.flags.map((f) => [f.name, f.value, at(text, f.range)]), [
      ['chown', 'a b', '--chown="a b"'],
      ['from', 'x', '--from=x'],
      ['link', undefined, '--link'],
      ['chmod', '644', '--chmod=644'],
    ]);
    assert.deepEqual(instruction.args.map((a) => a.value), ['src', 'dst']);
  });

  it('maps a flag split over a continuation line', () => {
    const text = lines('RUN --mount=type=cache,\\', 'target=/root/.cache go build');
    const { instruction } = single(text);
    assert.equal(instruction.flags[0].value, 'type=cache,target=/root/.cache');
    assert.equal(at(text, instruction.flags[0].valueRange), 'type=cache,\\\ntarget=/root/.cache');
  });
});

describe('JSON exec form', () => {
  it('parses a JSON array of strings with element ranges', () => {
    const text = 'CMD [ "node", "server.js" , "--port=80" ]';
    const { instruction } = single(text);
    assert.equal(instruction.form, 'exec');
    assert.equal(instruction.json?.valid, true);
    assert.deepEqual(instruction.args.map((a) => [a.value, at(text, a.range)]), [
      ['node', '"node"'],
      ['server.js', '"server.js"'],
      ['--port=80', '"--port=80"'],
    ]);
    assert.equal(at(text, instruction.json?.range), '[ "node", "server.js" , "--port=80" ]');
  });

  it('decodes JSON string escapes', () => {
    const text = String.raw`ENTRYPOINT ["a\"b", "\u0041\n", "\\", "\ud83d\ude00"]`;
    const { instruction } = single(text);
    assert.deepEqual(instruction.args.map((a) => a.value), ['a"b', 'A\n', '\\', '😀']);
  });

  it('falls back to the shell form for malformed JSON and records what it saw', () => {
    const cases: Array<[string, string]> = [
      ["CMD ['single', 'quotes']", 'invalid character looking for beginning of value'],
      ['CMD ["missing", "bracket"', 'unexpected end of JSON input'],
      ['CMD ["trailing",]', 'invalid character looking for beginning of value'],
      ['RUN [ "a" "b" ]', "expected ',' or ']' after array element"],
      ['CMD ["\\x"]', 'invalid escape in string literal'],
    ];
    for (const [text, error] of cases) {
      const { instruction } = single(text);
      assert.equal(instruction.form, 'shell', text);
      assert.equal(instruction.json?.valid, false, text);
      assert.equal(instruction.json?.error, error, text);
      assert.equal(instruction.args.length, 1);
      assert.equal(at(text, instruction.args[0].range), text.slice(4));
      assert.ok(instruction.json?.errorRange, text);
      // Malformed JSON: the array runs to the end of the arguments, as documented.
      assert.equal(at(text, instruction.json?.range), text.slice(4), text);
    }
    const copy = single("COPY ['a', 'b'] /dst").instruction;
    assert.deepEqual(copy.args.map((a) => a.value), ["['a',", "'b']", '/dst']);
  });

  it('reports a JSON array holding non-strings as Docker does', () => {
    const text = 'CMD ["a", 1, {"k": [true, null]}]';
    const ast = parseDockerfile(text);
    assert.deepEqual(ast.problems.map((p) => [p.code, at(text, p.range)]), [['json-not-string-array', text.slice(4)]]);
    assert.equal(ast.instructions[0].json?.nonStringElement, true);
    assert.equal(ast.instructions[0].form, 'shell');
  });

  it('falls back to the shell form for text after the closing bracket, like json.Unmarshal, and records it', () => {
    const text = 'CMD ["a"] # c';
    const { instruction } = single(text);
    assert.equal(instruction.form, 'shell');
    assert.equal(instruction.json?.valid, false);
    assert.equal(instruction.json?.error, "invalid character '#' after top-level value");
    assert.equal(at(text, instruction.json?.errorRange), '#');
    assert.equal(at(text, instruction.json?.trailing?.range), '# c');
    assert.equal(at(text, instruction.json?.range), '["a"] # c');
    assert.deepEqual(instruction.args.map((a) => a.value), ['["a"] # c']);
    // A syntax error comes before the element types: no non-string problem, shell form.
    const nonString = parseDockerfile('CMD ["a", 1] x');
    assert.deepEqual(nonString.problems, []);
    assert.equal(nonString.instructions[0].form, 'shell');
    const copy = single('COPY ["a", "b"] c').instruction;
    assert.deepEqual(copy.args.map((a) => a.value), ['["a",', '"b"]', 'c']);
  });

  it('handles empty arrays, SHELL, VOLUME, COPY and HEALTHCHECK exec forms', () => {
    const text = lines('CMD []', 'SHELL ["/bin/bash", "-c"]', 'VOLUME ["/data"]', 'COPY ["a b", "/c d/"]', 'HEALTHCHECK CMD ["curl", "-f", "x"]');
    const ast = parseClean(text);
    assert.deepEqual(ast.instructions.map((i) => [i.form, i.args.map((a) => a.value)]), [
      ['exec', []],
      ['exec', ['/bin/bash', '-c']],
      ['exec', ['/data']],
      ['exec', ['a b', '/c d/']],
      ['exec', ['CMD', 'curl', '-f', 'x']],
    ]);
    assert.deepEqual(ast.instructions[4].healthcheck?.command.map((c) => c.value), ['curl', '-f', 'x']);
  });

  it('parses a JSON array spread over continuation lines', () => {
    const text = lines('CMD ["a", \\', '     "b"]');
    const { instruction } = single(text);
    assert.deepEqual(instruction.args.map((a) => at(text, a.range)), ['"a"', '"b"']);
  });
});

describe('heredocs', () => {
  it('reads a heredoc body with exact ranges', () => {
    const text = lines('RUN <<EOF', 'apt-get update', 'apt-get install -y curl', 'EOF', 'CMD x');
    const ast = parseClean(text);
    const [run, cmd] = ast.instructions;
    assert.equal(run.heredocs.length, 1);
    const [heredoc] = run.heredocs;
    assert.equal(heredoc.name, 'EOF');
    assert.equal(at(text, heredoc.marker.range), '<<EOF');
    assert.equal(at(text, heredoc.nameRange), 'EOF');
    assert.equal(at(text, heredoc.bodyRange), 'apt-get update\napt-get install -y curl\n');
    assert.equal(heredoc.content, 'apt-get update\napt-get install -y curl\n');
    assert.equal(at(text, heredoc.terminatorRange), 'EOF');
    assert.equal(heredoc.quoted, false);
    assert.equal(at(text, run.range), 'RUN <<EOF\napt-get update\napt-get install -y curl\nEOF');
    assert.equal(cmd.args[0].value, 'x');
  });

  it('strips leading tabs for <<- and recognises quoted delimiters', () => {
    const text = lines('COPY <<-"END" /etc/motd', '\tHello', '\t\tWorld', '\tEND', "RUN <<'X' bash", 'echo $HOME', 'X');
    const ast = parseClean(text);
    const [copy, run] = ast.instructions;
    assert.equal(copy.heredocs[0].stripLeadingTabs, true);
    assert.equal(copy.heredocs[0].quoted, true);
    assert.equal(copy.heredocs[0].name, 'END');
    assert.equal(at(text, copy.heredocs[0].nameRange), '"END"');
    assert.equal(copy.heredocs[0].content, 'Hello\nWorld\n');
    assert.equal(at(text, copy.heredocs[0].bodyRange), '\tHello\n\t\tWorld\n');
    assert.equal(at(text, copy.heredocs[0].terminatorRange), '\tEND');
    assert.deepEqual(copy.args.map((a) => a.value), ['<<-"END"', '/etc/motd']);
    assert.equal(run.heredocs[0].quoted, true);
    assert.equal(run.heredocs[0].name, 'X');
    assert.equal(run.variables.length, 0, 'no expansion in a quoted heredoc');
  });

  it('reads several heredocs of one instruction in order', () => {
    const text = lines('COPY <<A <<B /dst/', 'a body', 'A', 'b body', 'B', 'RUN done');
    const ast = parseClean(text);
    const [copy] = ast.instructions;
    assert.deepEqual(copy.heredocs.map((h) => [h.name, h.content, at(text, h.terminatorRange)]), [
      ['A', 'a body\n', 'A'],
      ['B', 'b body\n', 'B'],
    ]);
    assert.equal(ast.instructions[1].args[0].value, 'done');
  });

  it('reads the body after the last continuation line and treats body lines literally', () => {
    const text = lines('RUN 3<<EOF \\', '  cat /dev/fd/3', '# not a comment', 'FROM not-an-instruction \\', 'EOF', 'RUN after');
    const ast = parseClean(text);
    const [run, after] = ast.instructions;
    assert.equal(run.heredocs[0].fileDescriptor, 3);
    assert.equal(run.heredocs[0].content, '# not a comment\nFROM not-an-instruction \\\n');
    assert.equal(after.args[0].value, 'after');
    assert.equal(ast.comments.length, 0);
  });

  it('reports an unterminated heredoc at its marker', () => {
    const text = lines('RUN <<EOF', 'echo hi', 'EOFX');
    const ast = parseDockerfile(text);
    assert.deepEqual(ast.problems.map((p) => [p.code, at(text, p.range)]), [['unterminated-heredoc', '<<EOF']]);
    const [heredoc] = ast.instructions[0].heredocs;
    assert.equal(heredoc.terminatorRange, undefined);
    assert.equal(at(text, heredoc.bodyRange), 'echo hi\nEOFX');
    assert.equal(ast.instructions[0].range.end, text.length);
  });

  it('only applies to RUN, COPY and ADD in shell form, and to real markers', () => {
    const text = lines(
      'RUN ["cat", "<<EOF"]',
      'ENV A=<<EOF',
      'RUN cat<<EOF',
      'RUN echo "<<EOF" \\<<EOF',
      'RUN cat <<<here-string',
      'ADD <<EOF /x',
      'body',
      'EOF',
    );
    const ast = parseClean(text);
    assert.deepEqual(ast.instructions.map((i) => i.heredocs.length), [0, 0, 0, 0, 0, 1]);
  });

  it('can be turned off for old syntax versions', () => {
    const ast = parseDockerfile('RUN <<EOF\nEOF', { heredocs: false });
    assert.equal(ast.instructions.length, 2);
    assert.deepEqual(ast.problems, []);
  });

  it('supports heredocs in ONBUILD triggers', () => {
    const text = lines('ONBUILD RUN <<EOF', 'echo $X', 'EOF');
    const { instruction } = single(text);
    assert.equal(instruction.trigger?.heredocs.length, 1);
    assert.equal(instruction.trigger?.heredocs[0].content, 'echo $X\n');
    assert.equal(at(text, instruction.range), text);
    assert.equal(at(text, instruction.trigger?.range), 'RUN <<EOF\necho $X\nEOF');
    assert.deepEqual(instruction.trigger?.variables.map((v) => [v.name, at(text, v.range)]), [['X', '$X']]);
  });

  it('matches a terminator followed by CRLF', () => {
    const text = 'RUN <<EOF\r\nline\r\nEOF\r\nCMD x\r\n';
    const ast = parseClean(text);
    assert.equal(ast.instructions[0].heredocs[0].content, 'line\r\n');
    assert.equal(ast.instructions[1].name, 'CMD');
  });
});

describe('ENV, LABEL and ARG', () => {
  it('parses key=value pairs with ranges for keys and values', () => {
    const text = 'ENV A=1 B="two words" C=a\\ b D= E';
    const ast = parseDockerfile(text);
    const [env] = ast.instructions;
    assert.equal(env.keyValueForm, 'equals');
    assert.deepEqual(env.keyValues?.map((p) => [at(text, p.key.range), at(text, p.value?.range), at(text, p.range)]), [
      ['A', '1', 'A=1'],
      ['B', '"two words"', 'B="two words"'],
      ['C', 'a\\ b', 'C=a\\ b'],
      ['D', '', 'D='],
      ['E', undefined, 'E'],
    ]);
    assert.deepEqual(ast.problems.map((p) => [p.code, at(text, p.range)]), [['missing-equals', 'E']]);
  });

  it('splits each word at its first = as written, even a quoted or escaped one, as BuildKit does', () => {
    const text = 'ENV a\\=b=c "k=1"=v plain';
    const ast = parseDockerfile(text);
    const [env] = ast.instructions;
    assert.deepEqual(env.keyValues?.map((p) => [p.key.value, p.value?.value]), [
      ['a\\', 'b=c'],
      ['"k', '1"=v'],
      ['plain', undefined],
    ]);
    assert.deepEqual(ast.problems.map((p) => [p.code, at(text, p.range)]), [['missing-equals', 'plain']]);
  });

  it('parses the legacy ENV key value form', () => {
    const text = 'ENV  MY_VAR   some value with  spaces ';
    const { instruction } = single(text);
    assert.equal(instruction.keyValueForm, 'legacy');
    const [pair] = instruction.keyValues ?? [];
    assert.equal(at(text, pair.key.range), 'MY_VAR');
    assert.equal(at(text, pair.value?.range), 'some value with  spaces');
  });

  it('reports a legacy ENV without a value', () => {
    const text = 'LABEL lonely';
    const ast = parseDockerfile(text);
    assert.deepEqual(ast.problems.map((p) => [p.code, p.message, at(text, p.range)]), [
      ['missing-value', 'LABEL must have two arguments', 'lonely'],
    ]);
  });

  it('parses LABEL with quoted keys and multi-line values', () => {
    const text = lines('LABEL "com.example.vendor"="ACME" \\', '      version="1.0" description="a \\', 'b"');
    const { instruction } = single(text);
    assert.deepEqual(instruction.keyValues?.map((p) => [p.key.value, p.value?.value]), [
      ['"com.example.vendor"', '"ACME"'],
      ['version', '"1.0"'],
      ['description', '"a b"'],
    ]);
    assert.equal(at(text, instruction.keyValues?.[2].value?.range), '"a \\\nb"');
  });

  it('parses ARG with and without defaults', () => {
    const text = 'ARG VERSION=1.2.3 TARGETARCH EMPTY= QUOTED="x y"';
    const { instruction } = single(text);
    assert.deepEqual(instruction.keyValues?.map((p) => [at(text, p.key.range), at(text, p.value?.range)]), [
      ['VERSION', '1.2.3'],
      ['TARGETARCH', undefined],
      ['EMPTY', ''],
      ['QUOTED', '"x y"'],
    ]);
    assert.equal(instruction.keyValueForm, 'equals');
  });
});

describe('FROM', () => {
  it('parses platform, image parts, AS keyword casing and stage name', () => {
    const text = 'FROM --platform=linux/amd64 registry.example.com:5000/team/app:1.2@sha256:abcd as Builder';
    const { instruction } = single(text);
    const from = instruction.from;
    assert.ok(from);
    assert.equal(at(text, from.platform?.valueRange), 'linux/amd64');
    assert.equal(at(text, from.image?.range), 'registry.example.com:5000/team/app:1.2@sha256:abcd');
    assert.equal(at(text, from.imageName?.range), 'registry.example.com:5000/team/app');
    assert.equal(at(text, from.imageTag?.range), '1.2');
    assert.equal(at(text, from.imageDigest?.range), 'sha256:abcd');
    assert.equal(at(text, from.asKeyword?.range), 'as');
    assert.equal(at(text, from.stageName?.range), 'Builder');
  });

  it('takes --platform by its exact name, as BuildKit does (other casings are unknown flags)', () => {
    const { instruction } = single('FROM --PLATFORM=linux/amd64 alpine');
    assert.equal(instruction.from?.platform, undefined);
    assert.deepEqual(instruction.flags.map((flag) => flag.name), ['PLATFORM']);
  });

  it('handles images without tag, registry ports and variables', () => {
    assert.deepEqual(splitImageReference('localhost:5000/img'), { name: [0, 18] });
    assert.deepEqual(splitImageReference('${IMAGE:-alpine}'), { name: [0, 16] });
    assert.deepEqual(splitImageReference('alpine:${TAG}'), { name: [0, 6], tag: [7, 13] });
    const { instruction } = single('FROM scratch');
    assert.equal(instruction.from?.image?.value, 'scratch');
    assert.equal(instruction.from?.asKeyword, undefined);
    assert.equal(instruction.from?.imageTag, undefined);
  });
});

describe('HEALTHCHECK and ONBUILD', () => {
  it('parses HEALTHCHECK CMD in shell form and NONE', () => {
    const text = lines('HEALTHCHECK --retries=3 CMD curl -f http://localhost/ || exit 1', 'HEALTHCHECK NONE');
    const ast = parseClean(text);
    const [shell, none] = ast.instructions;
    assert.equal(at(text, shell.healthcheck?.type?.range), 'CMD');
    assert.deepEqual(shell.healthcheck?.command.map((c) => at(text, c.range)), ['curl -f http://localhost/ || exit 1']);
    assert.equal(shell.form, 'shell');
    assert.equal(none.healthcheck?.type?.value, 'NONE');
    assert.deepEqual(none.healthcheck?.command, []);
  });

  it('parses the ONBUILD trigger as a nested instruction with its own ranges', () => {
    const text = lines('ONBUILD COPY --chown=app . /src/ \\', '  extra', 'onbuild onbuild run x');
    const ast = parseClean(text);
    const [copy, nested] = ast.instructions;
    const trigger = copy.trigger;
    assert.ok(trigger);
    assert.equal(trigger.name, 'COPY');
    assert.equal(at(text, trigger.keywordRange), 'COPY');
    assert.deepEqual(trigger.flags.map((f) => [f.name, at(text, f.valueRange)]), [['chown', 'app']]);
    assert.deepEqual(trigger.args.map((a) => at(text, a.range)), ['.', '/src/', 'extra']);
    assert.equal(nested.trigger?.trigger?.name, 'RUN');
    assert.equal(at(text, nested.trigger?.trigger?.keywordRange), 'run');
  });

  it('bounds ONBUILD nesting', () => {
    const text = 'ONBUILD '.repeat(50) + 'RUN x';
    const ast = parseDockerfile(text);
    assert.deepEqual(ast.problems.map((p) => p.code), ['onbuild-too-deep']);
  });
});

describe('variable references', () => {
  it('finds every supported form with name, modifier and operand ranges', () => {
    const text = 'a $A b ${B} ${C:-x} ${D-x} ${E:+x} ${F+x} ${G?x} ${H:?x} ${I#p} ${J##p} ${K%p} ${L%%p} ${M/p/r} ${N//p/r}';
    const refs = extractVariableReferences(text);
    assert.deepEqual(
      refs.map((r) => [r.name, at(text, r.nameRange), at(text, r.range), r.modifier ?? null, r.operand?.text ?? null]),
      [
        ['A', 'A', '$A', null, null],
        ['B', 'B', '${B}', null, null],
        ['C', 'C', '${C:-x}', ':-', 'x'],
        ['D', 'D', '${D-x}', '-', 'x'],
        ['E', 'E', '${E:+x}', ':+', 'x'],
        ['F', 'F', '${F+x}', '+', 'x'],
        ['G', 'G', '${G?x}', '?', 'x'],
        ['H', 'H', '${H:?x}', ':?', 'x'],
        ['I', 'I', '${I#p}', '#', 'p'],
        ['J', 'J', '${J##p}', '##', 'p'],
        ['K', 'K', '${K%p}', '%', 'p'],
        ['L', 'L', '${L%%p}', '%%', 'p'],
        ['M', 'M', '${M/p/r}', '/', 'p/r'],
        ['N', 'N', '${N//p/r}', '//', 'p/r'],
      ],
    );
    assert.equal(at(text, refs[2].modifierRange), ':-');
    assert.equal(at(text, refs[2].operand?.range), 'x');
    assert.ok(refs.every((r) => r.malformed === undefined && r.depth === 0));
  });

  it('finds nested references in modifier words', () => {
    const text = '${A:-${B:-"$C"}}/${D/${E}/x}';
    const refs = extractVariableReferences(text);
    assert.deepEqual(refs.map((r) => [r.name, r.depth, at(text, r.range)]), [
      ['A', 0, '${A:-${B:-"$C"}}'],
      ['B', 1, '${B:-"$C"}'],
      ['C', 2, '$C'],
      ['D', 0, '${D/${E}/x}'],
      ['E', 1, '${E}'],
    ]);
  });

  it('honours escapes and single quotes like Docker', () => {
    assert.deepEqual(extractVariableReferences('\\$A $B').map((r) => r.name), ['B']);
    assert.deepEqual(extractVariableReferences("'$A' \"$B\" '\"$C\"'").map((r) => r.name), ['B']);
    assert.deepEqual(extractVariableReferences('"\\$A \\\\$B"').map((r) => r.name), ['B']);
    assert.deepEqual(extractVariableReferences('`$A $B', { escapeChar: '`' }).map((r) => r.name), ['B']);
    assert.deepEqual(extractVariableReferences("'$A'", { processQuotes: false }).map((r) => r.name), ['A']);
    assert.deepEqual(extractVariableReferences('$1 $@ $? $$ $ ${#} $_x $ü').map((r) => r.name), ['_x', 'ü']);
  });

  it('shifts ranges by an offset, or maps them through a logical line', () => {
    const document = 'RUN echo ${HOME}';
    const refs = extractVariableReferences('echo ${HOME}', { offset: 4 });
    assert.equal(at(document, refs[0].range), '${HOME}');
    assert.equal(at(document, refs[0].nameRange), 'HOME');
    const continued = 'RUN echo $HO\\\nME';
    const logical = LogicalLine.build(continued, [
      [0, 12],
      [14, 16],
    ]);
    const mapped = extractVariableReferences(logical.text, { toDocumentRange: (start, end) => logical.sourceRange(start, end) });
    assert.equal(mapped[0].name, 'HOME');
    assert.equal(at(continued, mapped[0].range), '$HO\\\nME');
  });

  it('reports malformed references without giving up', () => {
    const text = '${} ${A ${B:x} $D ${C/p} $E ${F';
    const refs = extractVariableReferences(text);
    assert.deepEqual(refs.map((r) => [r.name, r.depth, r.malformed ?? null, at(text, r.range)]), [
      ['', 0, 'syntax error: bad substitution', '${}'],
      ['A', 0, 'unsupported modifier ( ) in substitution', '${A '],
      ['B', 0, 'unsupported modifier (:x) in substitution', '${B:x}'],
      ['D', 0, null, '$D'],
      ['C', 0, "syntax error: missing '/' in ${}", '${C/p} $E ${F'],
      ['E', 1, null, '$E'],
      ['F', 1, "syntax error: missing '}'", '${F'],
    ]);
  });

  it('expands values with Docker semantics', () => {
    const env: Record<string, string | null> = { SET: 'value', EMPTY: '', PATHISH: 'a/b/c.tar.gz', UNKNOWN: null };
    const lookup = (name: string): string | null | undefined => (name in env ? env[name] : undefined);
    const expand = (text: string): string | undefined => expandVariables(text, lookup).value;
    assert.equal(expand('$SET-${SET}'), 'value-value');
    assert.equal(expand('${UNSET}|${UNSET:-d}|${EMPTY:-d}|${EMPTY-d}'), '|d|d|');
    assert.equal(expand('${SET:+alt}|${EMPTY:+alt}|${EMPTY+alt}|${UNSET+alt}'), 'alt||alt|');
    assert.equal(expand('${PATHISH#*/}|${PATHISH##*/}|${PATHISH%.*}|${PATHISH%%.*}'), 'b/c.tar.gz|c.tar.gz|a/b/c.tar|a/b/c');
    assert.equal(expand('${PATHISH/\\//-}|${PATHISH//\\//-}'), 'a-b/c.tar.gz|a-b-c.tar.gz');
    assert.equal(expand('"quoted $SET" \'single $SET\' esc\\$SET'), 'quoted value single $SET esc$SET');
    assert.equal(expand('${UNSET:-${SET}}'), 'value');
    assert.equal(expand('x$UNKNOWN'), undefined);
    assert.equal(expand('${UNKNOWN:+x}'), undefined);
    assert.equal(expand('${SET:-$UNKNOWN}'), 'value', 'an unused unknown default does not matter');
    const failed = expandVariables('${UNSET?must be set}', lookup);
    assert.equal(failed.value, undefined);
    assert.equal(failed.error, 'UNSET: must be set');
    assert.deepEqual(expandVariables('$UNKNOWN $SET', lookup).unknown, ['UNKNOWN']);
  });

  it('says why a word cannot be expanded whatever its variables hold, exactly when the full expansion fails', () => {
    assert.equal(expansionSyntaxError('"/app'), 'unexpected end of statement while looking for matching double-quote');
    assert.equal(expansionSyntaxError("it's"), 'unexpected end of statement while looking for matching single-quote');
    assert.equal(expansionSyntaxError('${A'), "syntax error: missing '}'");
    assert.equal(expansionSyntaxError('${A:?must be set}'), undefined, 'depends on the value');
    assert.equal(expansionSyntaxError('"a $B ${C:-x}" \'d\' ${E}'), undefined);
    assert.equal(expansionSyntaxError('`"', '`'), undefined, 'the escape directive escapes the quote');
    // Words of these characters take every path of the quick check; every variable set, only syntax can fail.
    const random = prng(7);
    const alphabet = ['a', 'B', '_', '"', "'", '\\', '`', '$', '{', '}', ':', '-', '?', '#', '%', '/', '!', ' '];
    for (let i = 0; i < 20_000; i++) {
      const word = Array.from({ length: 1 + Math.floor(random() * 8) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      for (const escapeChar of ['\\', '`']) {
        assert.equal(expansionSyntaxError(word, escapeChar), expandVariables(word, () => 'x', { escapeChar }).error, `${JSON.stringify(word)} with escape ${escapeChar}`);
      }
    }
  });

  it('records references per instruction with who expands them', () => {
    const text = lines(
      'FROM ${IMAGE}:$TAG',
      'ENV A=$B C=${D:-x}',
      'COPY --chown=$USER $SRC /dst',
      'RUN --mount=type=cache,id=$ID echo $HOME "$X" \'$NOT\'',
      'RUN ["echo", "$EXEC"]',
      'CMD echo $CMDVAR',
      'WORKDIR $DIR',
      'COPY <<EOF /x',
      '$BODY \'$QUOTED_OK\'',
      'EOF',
      'LABEL $K=$V',
    );
    const ast = parseClean(text);
    const summary = ast.instructions.map((i) => i.variables.map((v) => `${v.name}:${v.expandedBy}:${at(text, v.range)}`));
    assert.deepEqual(summary, [
      ['IMAGE:builder:${IMAGE}', 'TAG:builder:$TAG'],
      ['B:builder:$B', 'D:builder:${D:-x}'],
      ['USER:builder:$USER', 'SRC:builder:$SRC'],
      ['ID:builder:$ID', 'HOME:shell:$HOME', 'X:shell:$X'],
      [],
      ['CMDVAR:shell:$CMDVAR'],
      ['DIR:builder:$DIR'],
      ['BODY:builder:$BODY', 'QUOTED_OK:builder:$QUOTED_OK'],
      ['K:builder:$K', 'V:builder:$V'],
    ]);
  });

  it('maps references split by a continuation to the document', () => {
    const text = lines('ENV A=${LONG_\\', 'NAME}');
    const { instruction } = single(text);
    assert.equal(instruction.variables[0].name, 'LONG_NAME');
    assert.equal(at(text, instruction.variables[0].range), '${LONG_\\\nNAME}');
  });
});

// ---------------------------------------------------------------------------
// Robustness

const CORPUS: string[] = [
  lines(
    '# syntax=docker/dockerfile:1.7',
    '# check=skip=JSONArgsRecommended',
    'ARG GO_VERSION=1.22',
    'FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS build',
    'ARG TARGETOS TARGETARCH',
    'WORKDIR /src',
    'COPY go.mod go.sum ./',
    'RUN --mount=type=cache,target=/go/pkg/mod \\',
    '    go mod download',
    'COPY . .',
    'RUN --mount=type=cache,target=/root/.cache/go-build \\',
    '    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app ./cmd/app',
    '',
    'FROM gcr.io/distroless/static:nonroot',
    'COPY --from=build /out/app /app',
    'USER nonroot:nonroot',
    'ENTRYPOINT ["/app"]',
  ),
  lines(
    'FROM node:20-slim AS deps',
    'WORKDIR /app',
    'COPY package.json package-lock.json ./',
    'RUN npm ci --omit=dev',
    '',
    'FROM node:20-slim',
    'ENV NODE_ENV=production \\',
    '    PORT=3000',
    'WORKDIR /app',
    'COPY --from=deps /app/node_modules ./node_modules',
    'COPY . .',
    'EXPOSE 3000',
    'HEALTHCHECK --interval=30s --timeout=3s CMD node healthcheck.js || exit 1',
    'CMD ["node", "server.js"]',
  ),
  lines(
    'FROM ubuntu:22.04',
    'LABEL maintainer="ops@example.com" version="1.0"',
    'RUN apt-get update && apt-get install -y --no-install-recommends \\',
    '      ca-certificates \\',
    '      # tools',
    '      curl \\',
    '      git \\',
    '    && rm -rf /var/lib/apt/lists/*',
    "RUN <<EOF bash",
    'set -eux',
    'echo "${HOME:-/root}"',
    'EOF',
    'COPY <<-"CONF" /etc/app.conf',
    '\tkey=value',
    '\tCONF',
    'ONBUILD COPY . /src',
    'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
    'STOPSIGNAL SIGTERM',
    'VOLUME /data',
  ),
  lines(
    '# escape=`',
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
    'ENV APP_HOME=C:\\app',
    'WORKDIR $APP_HOME',
    'RUN powershell -Command `',
    '    $ErrorActionPreference = "Stop"; `',
    '    Write-Host hello',
    'COPY app.ps1 C:\\app\\',
    'CMD ["powershell", "-File", "C:\\\\app\\\\app.ps1"]',
  ),
  lines(
    'ARG BASE=python:3.12-slim',
    'FROM ${BASE} AS base',
    'ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1',
    'ENV LEGACY value with spaces',
    'RUN pip install --no-cache-dir -r requirements.txt',
    'FROM base AS test',
    'RUN --mount=type=bind,from=base,source=/app,target=/app pytest',
    'CMD [\'python\', "app.py"]',
    'ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/x.tgz /x/',
  ),
];

const INTERESTING = ['\\', '`', '"', "'", '$', '{', '}', '[', ']', '<<', '<<-', '-', '--', '#', '=', '\n', '\r\n', '\r', '\t', ' ', ',', ':', '@', 'EOF', '\\\n', '${', '\ufeff', '\u00a0', '\ud83d', '\u0000', 'RUN ', 'FROM ', 'ONBUILD ', 'COPY <<EOF ', '# escape=`\n'];

function mutate(random: () => number, source: string): string {
  let text = source;
  const edits = 1 + Math.floor(random() * 6);
  for (let i = 0; i < edits; i++) {
    const position = Math.floor(random() * (text.length + 1));
    const choice = random();
    if (choice < 0.4) {
      const insert = INTERESTING[Math.floor(random() * INTERESTING.length)];
      text = text.slice(0, position) + insert + text.slice(position);
    } else if (choice < 0.6) {
      text = text.slice(0, position) + text.slice(position + 1 + Math.floor(random() * 20));
    } else if (choice < 0.75) {
      const from = Math.floor(random() * text.length);
      text = text.slice(0, position) + text.slice(from, from + Math.floor(random() * 60)) + text.slice(position);
    } else if (choice < 0.85) {
      const other = CORPUS[Math.floor(random() * CORPUS.length)];
      text = text.slice(0, position) + other.slice(Math.floor(random() * other.length));
    } else {
      const code = Math.floor(random() * 0x10000);
      text = text.slice(0, position) + String.fromCharCode(code) + text.slice(position);
    }
  }
  return text;
}

function randomGarbage(random: () => number): string {
  const length = Math.floor(random() * 200);
  let text = '';
  for (let i = 0; i < length; i++) {
    text += random() < 0.5 ? String.fromCharCode(Math.floor(random() * 128)) : INTERESTING[Math.floor(random() * INTERESTING.length)];
  }
  return text;
}

/** Every document range in the tree lies within the text, every logical range within its line. */
function assertRangesInBounds(ast: DockerfileAst): void {
  const documentLength = ast.text.length;
  const failures: string[] = [];
  const seen = new Set<object>();
  const path: Array<string | number> = [];
  // Generic walk, so that any range field added later is checked too.
  const visit = (value: object, logicalLength: number): void => {
    if (seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (item === null || typeof item !== 'object') continue;
        path.push(i);
        visit(item, logicalLength);
        path.pop();
      }
      return;
    }
    const record = value as Record<string, unknown>;
    const logical = record.logical as { text?: unknown } | undefined;
    const innerLength = logical && typeof logical.text === 'string' ? logical.text.length : logicalLength;
    for (const key in record) {
      if (key === 'logical' || key === 'lineIndex') continue;
      const child = record[key];
      if (child === null || typeof child !== 'object') continue;
      const range = child as Partial<TextRange>;
      if (typeof range.start === 'number' && typeof range.end === 'number') {
        const limit = key === 'logicalRange' || key === 'valueLogicalRange' ? innerLength : documentLength;
        const { start, end } = range;
        if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= limit)) {
          failures.push(`${path.join('.')}.${key}: ${JSON.stringify(child)} outside 0..${limit}`);
        }
        continue;
      }
      path.push(key);
      visit(child, innerLength);
      path.pop();
    }
  };
  visit(ast, documentLength);
  assert.deepEqual(failures, []);
  assert.ok(!ast.problems.some((p) => p.code === 'internal-error'), JSON.stringify(ast.problems));
}

function checkDocument(text: string): void {
  const ast = parseDockerfile(text);
  assertRangesInBounds(ast);
  const model = buildModel(ast);
  for (const instruction of ast.instructions) model.stateAt(instruction);
}

describe('robustness', () => {
  it('parses the corpus cleanly', () => {
    for (const text of CORPUS) {
      const ast = parseDockerfile(text);
      assertRangesInBounds(ast);
      assert.deepEqual(ast.problems.filter((p) => p.code !== 'json-not-string-array'), []);
      assert.ok(ast.instructions.length > 5);
    }
  });

  it('never throws and keeps ranges in bounds on 10,000 random and mutated inputs (seeded)', () => {
    const random = prng(0x5eed);
    let checked = 0;
    for (let i = 0; i < 10_000; i++) {
      const text = random() < 0.8 ? mutate(random, CORPUS[i % CORPUS.length]) : randomGarbage(random);
      try {
        checkDocument(text);
      } catch (error) {
        assert.fail(`input #${i} ${JSON.stringify(text)}: ${error instanceof Error ? error.message : String(error)}`);
      }
      checked++;
    }
    assert.equal(checked, 10_000);
  });

  it('copes with edge inputs', () => {
    assert.equal(parseDockerfile(undefined as unknown as string).instructions.length, 0);
    for (const text of ['', '\n', '\ufeff', '\\', '#', '# escape=', '<<EOF', '[', 'RUN [', 'RUN <<', '${', 'FROM', '\r\r\r', '\u0000\u0001\u0002', '\ud800\udfff\udc00']) {
      checkDocument(text);
    }
    const binary = Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('');
    checkDocument(binary);
  });

  it('parses 1 MB single lines of every kind', () => {
    const cases = [
      'RUN ' + 'echo $VAR ${X:-y} "a b" '.repeat(42_000),
      'EXPOSE ' + '8080/tcp '.repeat(112_000),
      'ENV ' + 'KEY_NAME=some_value '.repeat(50_000),
      'CMD [' + '"argument",'.repeat(100_000) + '"z"]',
      'COPY ' + '<<EOF_MARKER '.repeat(80_000),
      'RUN --mount=' + 'x'.repeat(1_000_000) + ' echo',
      'RUN ' + '${a:-'.repeat(200_000),
      'CMD ' + '['.repeat(1_000_000),
    ];
    for (const text of cases) {
      const ast = parseDockerfile(text);
      assert.ok(text.length >= 1_000_000);
      assert.equal(ast.instructions.length, 1);
      assert.ok(!ast.problems.some((p) => p.code === 'internal-error'));
    }
  });

  it('parses 100,000 continuation lines with exact positions at the end', () => {
    const text = 'RUN echo start \\\n' + '    && echo $LINE \\\n'.repeat(100_000) + '    && echo end\n';
    const ast = parseDockerfile(text);
    assert.equal(ast.instructions.length, 1);
    const [run] = ast.instructions;
    assert.equal(run.logical.segmentCount, 100_002);
    assert.equal(run.variables.length, 100_000);
    assert.equal(at(text, run.variables[99_999].range), '$LINE');
    assert.equal(ast.lineIndex.positionAt(run.variables[99_999].range.start).line, 100_000);
    assert.equal(run.range.end, text.length - 1);

    const many = 'RUN a \\\n' + '# comment\n\n'.repeat(50_000) + 'b\n' + 'EXPOSE 1\n'.repeat(50_000);
    const ast2 = parseDockerfile(many);
    assert.equal(ast2.instructions.length, 50_001);
    assert.equal(ast2.instructions[0].innerComments.length, 50_000);
    assert.equal(ast2.instructions[0].emptyContinuationLines.length, 50_000);
  });
});
