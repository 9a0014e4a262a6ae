import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INITIAL, Registry, type IGrammar, type IRawGrammar, type StateStack } from 'vscode-textmate';
import { loadWASM, OnigScanner, OnigString } from 'vscode-oniguruma';
import { repoRoot } from '../support/paths';

/**
 * The TextMate grammars tokenized by vscode-textmate with the Oniguruma
 * engine VS Code uses. `source.shell` is VS Code's built-in shell grammar in
 * the editor; here a small stand-in plays its part, so the tests see where the
 * Dockerfile grammar hands text to the shell grammar.
 */

const syntaxes = join(repoRoot, 'syntaxes');
const readJson = (file: string): unknown => JSON.parse(readFileSync(join(syntaxes, file), 'utf8'));

const SHELL_STAND_IN = {
  scopeName: 'source.shell',
  patterns: [
    { match: '\\b(if|then|else|elif|fi|for|in|do|done)\\b', name: 'keyword.control.shell' },
    { match: '&&|\\|\\||;|\\|', name: 'keyword.operator.list.shell' },
    { match: '(\\$)([A-Za-z_][A-Za-z0-9_]*)', name: 'variable.other.normal.shell' },
    {
      begin: '"',
      end: '"',
      name: 'string.quoted.double.shell',
      patterns: [{ match: '(\\$)([A-Za-z_][A-Za-z0-9_]*)', name: 'variable.other.normal.shell' }],
    },
  ],
  repository: {
    // Like VS Code's shell grammar: a command started anywhere on a line.
    command_statement: { match: '[\\t ]*+(?!(?:if|then|fi|for|do|done)\\b)([A-Za-z][\\w.-]*)', captures: { 1: { name: 'entity.name.command.shell' } } },
  },
} as unknown as IRawGrammar;

interface Token {
  text: string;
  scopes: string[];
}

let dockerfile: IGrammar;
let dockerignore: IGrammar;

before(async () => {
  const wasm = readFileSync(join(repoRoot, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const grammars: Record<string, IRawGrammar> = {
    'source.dockerfile': readJson('dockerfile.tmLanguage.json') as IRawGrammar,
    'source.dockerignore': readJson('dockerignore.tmLanguage.json') as IRawGrammar,
    'source.shell': SHELL_STAND_IN,
  };
  const registry = new Registry({
    onigLib: Promise.resolve({ createOnigScanner: (patterns) => new OnigScanner(patterns), createOnigString: (text) => new OnigString(text) }),
    loadGrammar: async (scopeName) => grammars[scopeName] ?? null,
  });
  dockerfile = (await registry.loadGrammar('source.dockerfile'))!;
  dockerignore = (await registry.loadGrammar('source.dockerignore'))!;
  assert.ok(dockerfile && dockerignore);
});

function tokenize(grammar: IGrammar, text: string): Token[][] {
  let state: StateStack = INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((token) => ({ text: line.slice(token.startIndex, token.endIndex), scopes: token.scopes }));
  });
}

/** Scopes of the character where `fragment` starts on line `line` (its first occurrence). */
function scopesAt(tokens: Token[][], line: number, fragment: string): string[] {
  let offset = 0;
  const lineText = tokens[line]!.map((token) => token.text).join('');
  const at = lineText.indexOf(fragment);
  assert.ok(at >= 0, `${JSON.stringify(fragment)} is not on line ${line}: ${JSON.stringify(lineText)}`);
  for (const token of tokens[line]!) {
    if (at < offset + token.text.length) return token.scopes;
    offset += token.text.length;
  }
  return [];
}

function hasScope(scopes: string[], prefix: string): boolean {
  return scopes.some((scope) => scope === prefix || scope.startsWith(`${prefix}.`) || scope.split(' ').includes(prefix));
}

function assertScope(tokens: Token[][], line: number, fragment: string, scope: string): void {
  const scopes = scopesAt(tokens, line, fragment);
  assert.ok(hasScope(scopes, scope), `${JSON.stringify(fragment)} on line ${line} has ${scopes.join(' ')}; expected ${scope}`);
}

function assertNoScope(tokens: Token[][], line: number, fragment: string, scope: string): void {
  const scopes = scopesAt(tokens, line, fragment);
  assert.ok(!hasScope(scopes, scope), `${JSON.stringify(fragment)} on line ${line} has ${scopes.join(' ')}; did not expect ${scope}`);
}

const KEYWORD = 'keyword.other.special-method.dockerfile';

describe('Dockerfile grammar', () => {
  it('highlights instruction keywords in any case, ONBUILD and its trigger', () => {
    const tokens = tokenize(dockerfile, 'FROM alpine\nrun echo hi\n  Copy . .\nONBUILD run make\nfrobnicate x\n');
    assertScope(tokens, 0, 'FROM', KEYWORD);
    assertScope(tokens, 1, 'run', KEYWORD);
    assertScope(tokens, 2, 'Copy', KEYWORD);
    assertScope(tokens, 3, 'ONBUILD', KEYWORD);
    assertScope(tokens, 3, 'run', KEYWORD);
    assertScope(tokens, 3, 'run', 'meta.instruction.onbuild.dockerfile');
    assertNoScope(tokens, 4, 'frobnicate', KEYWORD);
    assertNoScope(tokens, 1, 'echo', KEYWORD);
  });

  it('highlights FROM: flags, image, tag, AS and the stage name', () => {
    const tokens = tokenize(dockerfile, 'FROM --platform=$BUILDPLATFORM node:20-alpine as build\n');
    assertScope(tokens, 0, '--platform', 'variable.parameter.flag.dockerfile');
    assertScope(tokens, 0, 'BUILDPLATFORM', 'variable.other.dockerfile');
    assertScope(tokens, 0, 'node', 'entity.name.type.image.dockerfile');
    assertScope(tokens, 0, '20-alpine', 'constant.other.tag.dockerfile');
    assertScope(tokens, 0, 'as', KEYWORD);
    assertScope(tokens, 0, 'build', 'entity.name.label.stage.dockerfile');
  });

  it('highlights parser directives only at the top', () => {
    const tokens = tokenize(dockerfile, '# syntax=docker/dockerfile:1\n# check=skip=all\nFROM a\n# syntax=not/a-directive\n');
    assertScope(tokens, 0, 'syntax', 'keyword.other.directive.dockerfile');
    assertScope(tokens, 0, 'docker/dockerfile:1', 'string.unquoted.directive.dockerfile');
    assertScope(tokens, 1, 'check', 'keyword.other.directive.dockerfile');
    assertScope(tokens, 3, 'syntax', 'comment.line.number-sign.dockerfile');
    assertNoScope(tokens, 3, 'syntax', 'keyword.other.directive.dockerfile');
  });

  it('highlights comments', () => {
    const tokens = tokenize(dockerfile, '# a comment\nFROM a\n  # indented\n');
    assertScope(tokens, 0, 'a comment', 'comment.line.number-sign.dockerfile');
    assertScope(tokens, 0, '#', 'punctuation.definition.comment.dockerfile');
    assertScope(tokens, 2, 'indented', 'comment.line.number-sign.dockerfile');
  });

  it('highlights flags and their values', () => {
    const tokens = tokenize(dockerfile, 'RUN --mount=type=cache,target=/root/.cache make\nCOPY --from=build --chmod=755 /a /b\nHEALTHCHECK --interval=5s CMD true\n');
    assertScope(tokens, 0, '--mount', 'variable.parameter.flag.dockerfile');
    assertScope(tokens, 0, 'type', 'entity.other.attribute-name.dockerfile');
    assertScope(tokens, 0, 'cache,', 'string.unquoted.flag-value.dockerfile');
    assertScope(tokens, 0, ',', 'punctuation.separator.comma.dockerfile');
    assertScope(tokens, 1, '--from', 'variable.parameter.flag.dockerfile');
    assertScope(tokens, 1, 'build', 'string.unquoted.flag-value.dockerfile');
    assertScope(tokens, 1, '--chmod', 'variable.parameter.flag.dockerfile');
    assertScope(tokens, 2, '--interval', 'variable.parameter.flag.dockerfile');
    assertScope(tokens, 2, 'CMD', KEYWORD);
  });

  it('highlights variables and their operators', () => {
    const tokens = tokenize(dockerfile, 'ENV PATH=$HOME/bin:${PATH:-/usr/bin} TRIM=${V%%.*}\nARG VERSION\nWORKDIR ${HOME}\n');
    assertScope(tokens, 0, 'PATH=', 'variable.other.definition.dockerfile');
    assertScope(tokens, 0, '=', 'keyword.operator.assignment.dockerfile');
    assertScope(tokens, 0, '$HOME', 'variable.other.dockerfile');
    assertScope(tokens, 0, 'HOME', 'variable.other.dockerfile');
    assertScope(tokens, 0, '${', 'punctuation.definition.variable.begin.dockerfile');
    assertScope(tokens, 0, 'PATH:-', 'variable.other.dockerfile');
    assertScope(tokens, 0, ':-', 'keyword.operator.expansion.dockerfile');
    assertScope(tokens, 0, '%%', 'keyword.operator.expansion.dockerfile');
    assertScope(tokens, 1, 'VERSION', 'variable.other.definition.dockerfile');
    assertScope(tokens, 2, 'HOME', 'variable.other.dockerfile');
  });

  it('highlights quoted strings with escapes', () => {
    const tokens = tokenize(dockerfile, 'LABEL description="a \\"b\\" $X" other=\'no $X\'\n');
    assertScope(tokens, 0, 'description', 'entity.other.attribute-name.label.dockerfile');
    assertScope(tokens, 0, '"a', 'string.quoted.double.dockerfile');
    assertScope(tokens, 0, '\\"', 'constant.character.escape.dockerfile');
    assertScope(tokens, 0, '$X"', 'variable.other.dockerfile');
    assertScope(tokens, 0, "'no", 'string.quoted.single.dockerfile');
    assertNoScope(tokens, 0, "$X'", 'variable.other.dockerfile');
  });

  it('highlights JSON exec-form arrays', () => {
    const tokens = tokenize(dockerfile, 'CMD ["node", "server.js", "\\u0041"]\nENTRYPOINT ["a"]\nSHELL ["/bin/sh", "-c"]\nRUN ["x"]\n');
    assertScope(tokens, 0, '[', 'punctuation.definition.array.begin.dockerfile');
    assertScope(tokens, 0, '"node"', 'string.quoted.double.json.dockerfile');
    assertScope(tokens, 0, ',', 'punctuation.separator.array.dockerfile');
    assertScope(tokens, 0, '\\u0041', 'constant.character.escape.json.dockerfile');
    assertScope(tokens, 0, ']', 'punctuation.definition.array.end.dockerfile');
    assertNoScope(tokens, 0, 'node', 'meta.embedded.shell.dockerfile');
    for (const line of [1, 2, 3]) assertScope(tokens, line, '"', 'string.quoted.double.json.dockerfile');
  });

  it('continues an instruction over continuation, comment and empty lines, and ends it after', () => {
    const tokens = tokenize(dockerfile, 'ENV A=1 \\\n    # a comment\n\n    B=2\nB=3\n');
    assertScope(tokens, 0, '\\', 'constant.character.escape.line-continuation.dockerfile');
    assertScope(tokens, 1, 'a comment', 'comment.line.number-sign.dockerfile');
    assertScope(tokens, 1, 'a comment', 'meta.instruction.env.dockerfile');
    assertScope(tokens, 3, 'B', 'variable.other.definition.dockerfile');
    assertNoScope(tokens, 4, 'B', 'meta.instruction.dockerfile');
  });

  it('does not continue after a doubled escape character', () => {
    const tokens = tokenize(dockerfile, 'RUN echo \\\\\nB=1\n');
    assertNoScope(tokens, 1, 'B', 'meta.instruction.dockerfile');
  });

  it('follows `# escape=`` (backtick continuations, backslash is literal)', () => {
    const tokens = tokenize(dockerfile, '# escape=`\nFROM a\nRUN dir C:\\ `\n    && echo done\nRUN echo \\\nB=1\n');
    assertScope(tokens, 0, 'escape', 'keyword.other.directive.dockerfile');
    assertScope(tokens, 2, '`', 'constant.character.escape.line-continuation.dockerfile');
    assertScope(tokens, 3, 'echo', 'meta.instruction.run.dockerfile');
    assertNoScope(tokens, 4, '\\', 'constant.character.escape.line-continuation.dockerfile');
    assertNoScope(tokens, 5, 'B', 'meta.instruction.dockerfile');
    // Without the directive a backtick is just a character.
    const plain = tokenize(dockerfile, 'RUN echo `\nB=1\n');
    assertNoScope(plain, 1, 'B', 'meta.instruction.dockerfile');
  });

  it('hands shell-form RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD to the shell grammar, over continuation lines', () => {
    const tokens = tokenize(dockerfile, 'RUN apt-get update && \\\n    if true; then echo "$HOME"; fi\nCMD echo $PATH\nENTRYPOINT exec app\nHEALTHCHECK CMD curl -f x || exit 1\nFROM b\n');
    assertScope(tokens, 0, 'apt-get', 'meta.embedded.shell.dockerfile');
    assertScope(tokens, 0, 'apt-get', 'entity.name.command.shell');
    assertScope(tokens, 0, '&&', 'keyword.operator.list.shell');
    assertScope(tokens, 1, 'if', 'keyword.control.shell');
    assertScope(tokens, 1, 'if', 'meta.instruction.run.dockerfile');
    assertScope(tokens, 1, '"$HOME"', 'string.quoted.double.shell');
    assertScope(tokens, 1, 'HOME', 'variable.other.normal.shell');
    assertScope(tokens, 2, 'PATH', 'variable.other.normal.shell');
    assertScope(tokens, 3, 'exec', 'entity.name.command.shell');
    assertScope(tokens, 4, 'curl', 'meta.embedded.shell.dockerfile');
    assertScope(tokens, 4, '||', 'keyword.operator.list.shell');
    assertScope(tokens, 5, 'FROM', KEYWORD);
    assertNoScope(tokens, 5, 'FROM', 'meta.embedded.shell.dockerfile');
  });

  it('closes what the shell left open when the instruction ends', () => {
    const tokens = tokenize(dockerfile, 'RUN echo "unterminated\nFROM b\n');
    assertScope(tokens, 0, 'unterminated', 'string.quoted.double.shell');
    assertScope(tokens, 1, 'FROM', KEYWORD);
    assertNoScope(tokens, 1, 'FROM', 'string.quoted.double.shell');
    // A quoted string may span a continuation line, though.
    const spanning = tokenize(dockerfile, 'RUN echo "a \\\nb" && ls\n');
    assertScope(spanning, 1, 'b"', 'string.quoted.double.shell');
    assertScope(spanning, 1, '&&', 'keyword.operator.list.shell');
  });

  it('highlights heredoc markers and bodies: shell for RUN, text for COPY', () => {
    const text = 'RUN <<EOF\nif true; then echo "$HOME"; fi\nEOF\nCOPY <<-"CONF" /etc/app.conf\n\tkey = value\n\tCONF\nFROM b\n';
    const tokens = tokenize(dockerfile, text);
    assertScope(tokens, 0, '<<', 'keyword.operator.heredoc.dockerfile');
    assertScope(tokens, 0, 'EOF', 'keyword.control.heredoc-token.dockerfile');
    assertScope(tokens, 1, 'if', 'meta.embedded.block.shellscript');
    assertScope(tokens, 1, 'if', 'keyword.control.shell');
    assertScope(tokens, 1, 'HOME', 'variable.other.normal.shell');
    assertScope(tokens, 2, 'EOF', 'keyword.control.heredoc-token.dockerfile');
    assertScope(tokens, 3, '<<-', 'keyword.operator.heredoc.dockerfile');
    assertScope(tokens, 3, 'CONF', 'keyword.control.heredoc-token.dockerfile');
    assertScope(tokens, 4, 'key = value', 'string.unquoted.heredoc.dockerfile');
    assertNoScope(tokens, 4, 'key', 'keyword.control.shell');
    assertScope(tokens, 5, 'CONF', 'keyword.control.heredoc-token.dockerfile');
    assertScope(tokens, 6, 'FROM', KEYWORD);
    assertNoScope(tokens, 6, 'FROM', 'meta.heredoc.dockerfile');
  });

  it('highlights two heredocs opened on one line up to the second terminator', () => {
    const tokens = tokenize(dockerfile, "RUN cat <<A && cat <<'B'\nfirst $X\nA\nsecond $Y\nB\nCOPY <<CONF <<-ENV /etc/\nkey = value\nCONF\n\tA=1\n\tENV\nFROM b\n");
    assertScope(tokens, 0, 'A', 'keyword.control.heredoc-token.dockerfile');
    assertScope(tokens, 0, '&&', 'keyword.operator.list.shell');
    assertScope(tokens, 0, 'B', 'keyword.control.heredoc-token.dockerfile');
    assertScope(tokens, 1, 'X', 'variable.other.normal.shell');
    assertScope(tokens, 2, 'A', 'keyword.control.heredoc-token.dockerfile');
    // The second body is shell too, and the instruction goes on to its terminator.
    assertScope(tokens, 3, 'Y', 'variable.other.normal.shell');
    assertScope(tokens, 3, 'second', 'meta.instruction.run.dockerfile');
    assertScope(tokens, 4, 'B', 'keyword.control.heredoc-token.dockerfile');
    assertScope(tokens, 5, '<<-', 'keyword.operator.heredoc.dockerfile');
    assertScope(tokens, 6, 'key = value', 'string.unquoted.heredoc.dockerfile');
    assertScope(tokens, 7, 'CONF', 'keyword.control.heredoc-token.dockerfile');
    assertScope(tokens, 8, 'A=1', 'string.unquoted.heredoc.dockerfile');
    assertScope(tokens, 9, 'ENV', 'keyword.control.heredoc-token.dockerfile');
    assertScope(tokens, 10, 'FROM', KEYWORD);
    assertNoScope(tokens, 10, 'FROM', 'meta.heredoc.dockerfile');
  });

  it('ends a `<<-` heredoc at its tab-indented terminator, in RUN and in ONBUILD RUN', () => {
    const tokens = tokenize(dockerfile, 'RUN <<-EOF\n\techo "$A"\n\tEOF\nONBUILD RUN <<EOF\nmake\nEOF\nFROM b\n');
    assertScope(tokens, 1, 'A', 'variable.other.normal.shell');
    assertScope(tokens, 2, 'EOF', 'keyword.control.heredoc-token.dockerfile');
    assertScope(tokens, 3, 'RUN', KEYWORD);
    assertScope(tokens, 3, 'EOF', 'keyword.control.heredoc-token.dockerfile');
    assertScope(tokens, 4, 'make', 'meta.embedded.block.shellscript');
    assertScope(tokens, 4, 'make', 'meta.instruction.onbuild.dockerfile');
    assertScope(tokens, 5, 'EOF', 'keyword.control.heredoc-token.dockerfile');
    assertScope(tokens, 6, 'FROM', KEYWORD);
    assertNoScope(tokens, 6, 'FROM', 'meta.instruction.onbuild.dockerfile');
  });

  it('keeps embedded shell over backtick continuations and opens heredocs under `# escape=``', () => {
    const tokens = tokenize(dockerfile, '# escape=`\nFROM a\nRUN echo a `\n    && echo "$HOME" `\n    && ls\nRUN <<EOF\necho hi\nEOF\nCMD x\n');
    assertScope(tokens, 3, '&&', 'keyword.operator.list.shell');
    assertScope(tokens, 3, '"$HOME"', 'string.quoted.double.shell');
    assertScope(tokens, 3, '`', 'constant.character.escape.line-continuation.dockerfile');
    assertScope(tokens, 4, 'ls', 'meta.embedded.shell.dockerfile');
    assertScope(tokens, 5, 'EOF', 'keyword.control.heredoc-token.dockerfile');
    assertScope(tokens, 6, 'echo', 'meta.embedded.block.shellscript');
    assertScope(tokens, 7, 'EOF', 'keyword.control.heredoc-token.dockerfile');
    assertScope(tokens, 8, 'CMD', KEYWORD);
    assertScope(tokens, 8, 'CMD', 'meta.mode.escape-backtick');
  });

  it('keeps a heredoc body open however its shell lines look', () => {
    const tokens = tokenize(dockerfile, 'RUN <<EOF\necho "open\nFROM not-an-instruction\nEOF\nFROM b\n');
    assertScope(tokens, 2, 'FROM', 'meta.embedded.block.shellscript');
    assertNoScope(tokens, 2, 'FROM', KEYWORD);
    assertScope(tokens, 4, 'FROM', KEYWORD);
  });

  it('highlights EXPOSE ports and protocols', () => {
    const tokens = tokenize(dockerfile, 'EXPOSE 80 443/tcp 8000-8010/udp\n');
    assertScope(tokens, 0, '80', 'constant.numeric.port.dockerfile');
    assertScope(tokens, 0, 'tcp', 'keyword.other.protocol.dockerfile');
    assertScope(tokens, 0, '8010', 'constant.numeric.port.dockerfile');
  });
});

describe('.dockerignore grammar', () => {
  it('highlights comments, negation and globs', () => {
    const tokens = tokenize(dockerignore, '# build output\n!keep/**/*.md\n**/node_modules\nfile?.txt\n #not a comment\n');
    assertScope(tokens, 0, 'build output', 'comment.line.number-sign.dockerignore');
    assertScope(tokens, 1, '!', 'keyword.operator.negation.dockerignore');
    assertScope(tokens, 1, '**', 'keyword.operator.glob.globstar.dockerignore');
    assertScope(tokens, 1, '*.md', 'keyword.operator.glob.wildcard.dockerignore');
    assertScope(tokens, 2, '**', 'keyword.operator.glob.globstar.dockerignore');
    assertScope(tokens, 3, '?', 'keyword.operator.glob.wildcard.dockerignore');
    assertNoScope(tokens, 4, '#not', 'comment.line.number-sign.dockerignore');
  });
});

describe('syntaxes files', () => {
  /** Every regular expression of a grammar, for a compile check (back-references are filled in at run time). */
  function regexes(node: unknown, found: string[] = []): string[] {
    if (Array.isArray(node)) for (const item of node) regexes(item, found);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (typeof value === 'string' && ['match', 'begin', 'end', 'while'].includes(key)) found.push(key === 'end' || key === 'while' ? value.replace(/\\[1-9]/g, 'x') : value);
        else regexes(value, found);
      }
    }
    return found;
  }

  it('are valid JSON with regular expressions Oniguruma compiles', () => {
    for (const file of ['dockerfile.tmLanguage.json', 'dockerignore.tmLanguage.json', 'dockercompose.tmLanguage.json']) {
      const patterns = regexes(readJson(file));
      for (const pattern of patterns) assert.doesNotThrow(() => new OnigScanner([pattern]).dispose(), `${file}: ${pattern}`);
    }
  });

  it('language configurations hold working regular expressions', () => {
    for (const file of ['dockerfile.language-configuration.json', 'compose.language-configuration.json', 'dockerignore.language-configuration.json']) {
      const configuration = readJson(file) as {
        comments: { lineComment: string };
        onEnterRules?: Array<Record<string, string>>;
        folding?: { markers?: { start: string; end: string } };
        indentationRules?: Record<string, string>;
      };
      assert.equal(configuration.comments.lineComment, '#');
      for (const rule of configuration.onEnterRules ?? []) for (const key of ['beforeText', 'afterText', 'previousLineText']) if (rule[key]) new RegExp(rule[key]!);
      if (configuration.folding?.markers) {
        assert.ok(new RegExp(configuration.folding.markers.start).test('# region build'));
        assert.ok(new RegExp(configuration.folding.markers.end).test('  #endregion'));
      }
      for (const value of Object.values(configuration.indentationRules ?? {})) new RegExp(value);
    }
  });

  it('indents after a line continuation and back after the last one (Dockerfile onEnterRules)', () => {
    const rules = (readJson('dockerfile.language-configuration.json') as { onEnterRules: Array<{ beforeText: string; previousLineText?: string; action: { indent: string } }> }).onEnterRules;
    const onEnter = (beforeText: string, previousLineText: string) =>
      rules.find((rule) => new RegExp(rule.beforeText).test(beforeText) && (!rule.previousLineText || new RegExp(rule.previousLineText).test(previousLineText)))?.action.indent;
    assert.equal(onEnter('RUN apt-get update && \\', 'FROM alpine'), 'indent');
    assert.equal(onEnter('RUN a \\  ', ''), 'indent');
    assert.equal(onEnter('    apt-get install -y \\', 'RUN apt-get update && \\'), 'none');
    assert.equal(onEnter('    curl', '    apt-get install -y \\'), 'outdent');
    assert.equal(onEnter('RUN echo \\\\', ''), undefined);
    assert.equal(onEnter('# a comment \\', ''), undefined);
    assert.equal(onEnter('FROM alpine', 'ARG X'), undefined);
  });

  it('package.json associates the languages with exactly these files', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      contributes: {
        languages: Array<{ id: string; filenames?: string[]; filenamePatterns?: string[]; configuration: string }>;
        grammars: Array<{ language: string; scopeName: string; path: string; embeddedLanguages?: Record<string, string> }>;
      };
    };
    const files = (id: string) => {
      const language = manifest.contributes.languages.find((candidate) => candidate.id === id);
      assert.ok(language, `language ${id}`);
      readJson(language.configuration.replace('./syntaxes/', ''));
      return [...(language.filenames ?? []), ...(language.filenamePatterns ?? [])].sort();
    };
    assert.deepEqual(files('dockerfile'), ['Dockerfile', 'Dockerfile.*', '*.Dockerfile', '*.dockerfile', 'Containerfile', 'Containerfile.*'].sort());
    assert.deepEqual(files('dockercompose'), ['compose.yaml', 'compose.yml', 'compose.*.yaml', 'compose.*.yml', 'docker-compose*.yml', 'docker-compose*.yaml'].sort());
    assert.deepEqual(files('dockerignore'), ['.dockerignore', '*.dockerignore'].sort());
    for (const grammar of manifest.contributes.grammars) {
      const raw = readJson(grammar.path.replace('./syntaxes/', '')) as { scopeName: string };
      assert.equal(raw.scopeName, grammar.scopeName);
    }
    assert.deepEqual(
      manifest.contributes.grammars.map((grammar) => [grammar.language, grammar.scopeName]),
      [['dockerfile', 'source.dockerfile'], ['dockercompose', 'source.dockercompose'], ['dockerignore', 'source.dockerignore']],
    );
  });
});
