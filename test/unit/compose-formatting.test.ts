import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseAllDocuments } from 'yaml';
import { COMPOSE_CHECKS } from '../../server/src/compose';
import { formatComposeText } from '../../server/src/service/compose/formatting';
import { getLanguageService } from '../../server/src/service/languageService';
import { fuzzIterations, fuzzSeed, prng } from '../support/fuzz';
import { repoRoot } from '../support/paths';

const ITERATIONS = fuzzIterations(800);
const SEED = fuzzSeed(0xf0a7);

/** The compose files of the checks' examples and of test/fixtures. */
function composeFixtures(): string[] {
  const examples = COMPOSE_CHECKS.flatMap((check) => [...check.examples.fire, ...check.examples.pass]).flatMap((example) => (typeof example === 'string' ? [example] : Object.values(example.files)));
  const folder = join(repoRoot, 'test/fixtures');
  const files = existsSync(folder)
    ? (readdirSync(folder, { recursive: true }) as string[]).filter((name) => /\.ya?ml$/.test(name)).map((name) => readFileSync(join(folder, name), 'utf8'))
    : [];
  return [...examples, ...files];
}

/** Each document's data, or undefined when the text has errors. */
function data(text: string): unknown[] | undefined {
  const documents = parseAllDocuments(text, { uniqueKeys: false });
  if (!Array.isArray(documents)) return [];
  if (documents.some((document) => document.errors.length > 0)) return undefined;
  try {
    return documents.map((document) => document.toJS({ maxAliasCount: -1 }));
  } catch {
    return undefined; // an alias before its anchor
  }
}

/** Formats through the language service, applying the edits it returns. */
function format(text: string, tabSize = 2): string {
  const document = TextDocument.create('file:///p/compose.yaml', 'dockercompose', 1, text);
  const edits = getLanguageService().format(document, { tabSize, insertSpaces: true });
  return TextDocument.applyEdits(document, edits);
}

describe('compose formatting', () => {
  it('indents block collections by the tab size, sequences under their key', () => {
    const text = 'services:\n    web:\n        image: nginx\n        ports:\n        - "80:80"\n        -   443:443\n        environment:\n              A: 1\n    db:\n     image: postgres\n';
    assert.equal(format(text), 'services:\n  web:\n    image: nginx\n    ports:\n      - "80:80"\n      -   443:443\n    environment:\n      A: 1\n  db:\n    image: postgres\n');
    assert.equal(format(text, 4), 'services:\n    web:\n        image: nginx\n        ports:\n            - "80:80"\n            -   443:443\n        environment:\n            A: 1\n    db:\n        image: postgres\n');
  });

  it('keeps comments at the ends of lines and between entries, with the entries they sit by', () => {
    const text = '# top\nservices:   # the services\n    web:\n        image: nginx # pinned below\n        # about ports\n        ports: ["80:80"]\n    # the database\n    db:\n        image: postgres\n        # last in db\n# end\n';
    assert.equal(format(text), '# top\nservices:   # the services\n  web:\n    image: nginx # pinned below\n    # about ports\n    ports: ["80:80"]\n  # the database\n  db:\n    image: postgres\n    # last in db\n# end\n');
  });

  it('keeps block scalars byte for byte, moving them with their key', () => {
    const script = '      set -e  \n\n        echo "  two  spaces"\n      # not a comment\n';
    const text = `services:\n  web:\n    command: |\n${script}    entrypoint: >-\n      folded\n      text\n`;
    assert.equal(format(text), text, 'already formatted: nothing changes, trailing blanks in the scalar included');
    const deeper = text.replace(/^ {4}/gm, '      ').replace(/^ {2}web/m, '    web');
    const formatted = format(deeper);
    assert.equal(formatted, text);
  });

  it('keeps anchors, aliases, merge keys, tags, quoting, flow collections and key order', () => {
    const text = "x-base: &base\n   restart: 'always'\n   labels: {a: \"1\",   b: '2'}\nservices:\n   web:\n      <<: *base\n      ports: !override\n         - \"8080:80\"\n      labels: !reset []\n      image: \"nginx:${TAG:-latest}\"\n      command: [ \"a\",\n          \"b\" ]\n";
    const formatted = format(text);
    assert.equal(
      formatted,
      "x-base: &base\n  restart: 'always'\n  labels: {a: \"1\",   b: '2'}\nservices:\n  web:\n    <<: *base\n    ports: !override\n      - \"8080:80\"\n    labels: !reset []\n    image: \"nginx:${TAG:-latest}\"\n    command: [ \"a\",\n        \"b\" ]\n",
    );
  });

  it('formats every document of a multi-document file', () => {
    const text = 'a:\n    b: 1\n---\n# second\nc:\n- 1\n- 2\n...\n---\nd:   \n     e: x\n';
    assert.equal(format(text), 'a:\n  b: 1\n---\n# second\nc:\n  - 1\n  - 2\n...\n---\nd:\n  e: x\n');
  });

  it('removes trailing whitespace and ends with one newline', () => {
    assert.equal(format('a: 1   \n\n\n\n'), 'a: 1\n');
    assert.equal(format('a: 1'), 'a: 1\n');
    assert.equal(format('a:\r\n    b: 1  \r\n'), 'a:\r\n  b: 1\r\n', 'Windows line breaks stay');
    assert.equal(format('a: |+\n  kept\n\n'), 'a: |+\n  kept\n\n', 'blank lines a keep-chomped scalar owns stay');
    assert.equal(format('a: "multi   \n  line"\n'), 'a: "multi   \n  line"\n', 'inside quotes the blanks stay');
  });

  it('compact mappings in sequences keep their place after the dash', () => {
    const text = 'services:\n  web:\n    volumes:\n        - type: bind\n          source: .\n          target: /src\n        -   type: volume\n            source: data\n';
    assert.equal(format(text), 'services:\n  web:\n    volumes:\n      - type: bind\n        source: .\n        target: /src\n      -   type: volume\n          source: data\n');
  });

  it('does nothing when the file has syntax errors', () => {
    const text = 'services:\n    web:\n        image: [nginx\n';
    assert.equal(formatComposeText(text), undefined);
    assert.equal(format(text), text);
  });

  it('edits only the lines that change', () => {
    const text = 'services:\n  web:\n      image: nginx\n  db:\n    image: postgres\n';
    const document = TextDocument.create('file:///p/compose.yaml', 'dockercompose', 1, text);
    const edits = getLanguageService().format(document, { tabSize: 2, insertSpaces: true });
    assert.deepEqual(edits, [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 18 } }, newText: '    image: nginx' }]);
  });

  it('is idempotent and never changes the data (seeded fuzz over the compose fixtures)', () => {
    const random = prng(SEED);
    const corpus = composeFixtures();
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    /** Re-indents a text at random (each indentation level scaled), adds blanks and comments. */
    const disturb = (text: string): string => {
      const factor = pick([1, 2, 3]);
      return text
        .split('\n')
        .map((line) => {
          const spaces = line.length - line.trimStart().length;
          let out = ' '.repeat(spaces * factor) + line.trimStart();
          if (random() < 0.15) out += pick(['  ', ' \t', '   # note']);
          if (random() < 0.05) out = pick(['# comment\n', '\n', '   \n']) + out;
          return out;
        })
        .join('\n');
    };
    let formattedCount = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const text = i < corpus.length ? corpus[i]! : disturb(pick(corpus));
      const before = data(text);
      let once: string | undefined;
      const tabSize = pick([2, 2, 4]);
      try {
        once = formatComposeText(text, tabSize);
      } catch (error) {
        assert.fail(`formatting threw on ${JSON.stringify(text)}: ${(error as Error).stack}`);
      }
      if (before === undefined) {
        assert.equal(once, undefined, `a text with errors is left alone: ${JSON.stringify(text)}`);
        continue;
      }
      assert.ok(once !== undefined, `a valid text is formatted: ${JSON.stringify(text)}`);
      formattedCount++;
      assert.deepEqual(data(once), before, `the data is unchanged: ${JSON.stringify(text)}`);
      assert.equal(once.replace(/\s/g, ''), text.replace(/\s/g, ''), `only whitespace changes: ${JSON.stringify(text)}`);
      assert.equal(formatComposeText(once, tabSize), once, `formatting twice changes nothing: ${JSON.stringify(text)}`);
    }
    assert.ok(formattedCount > ITERATIONS / 2, `most inputs are valid YAML (${formattedCount})`);
  });

  it('keeps the data of arbitrary block YAML (seeded fuzz: every scalar style, comments, compact and nested sequences)', () => {
    const random = prng(SEED + 2);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const scalar = () =>
      pick(['a', 'b c', '"q\n   r"', "'s\n  t'", 'plain\n   continued', '1', '', '|\n  lit\n\n  more', '|2\n    two', '>-\n  fold\n  ed', '|+\n  keep\n\n', '[1,\n   2]', '{a: 1,\n  b: 2}', '*z', '&z v', '!reset []', '"\\\n  x"', '# c', '"tab\there"']);
    const block = (depth: number, indent: string): string => {
      if (depth > 3 || random() < 0.3) return ' ' + scalar().replace(/\n/g, '\n' + indent) + '\n';
      const kind = random();
      let out = '';
      if (kind < 0.4) {
        out = pick([' &m\n', '\n', ' # c\n', ' !override\n']);
        const count = 1 + Math.floor(random() * 3);
        for (let i = 0; i < count; i++) {
          if (random() < 0.2) out += pick(['', ' ', indent]) + '# comment\n';
          out += `${indent}${pick(['k', 'key', '"q k"', `k${i}`])}:${block(depth + 1, indent + pick(['  ', '   ', ' ', '    ']))}`;
        }
        return out;
      }
      if (kind < 0.8) {
        out = '\n';
        const count = 1 + Math.floor(random() * 3);
        for (let i = 0; i < count; i++) {
          out += random() < 0.5 ? `${indent}- k${i}:${block(depth + 1, indent + '    ')}${indent}  other: 1\n` : `${indent}-${block(depth + 1, indent + pick(['  ', '   ']))}`;
        }
        return out;
      }
      return ` [${scalar()}, {${pick(['a', 'b'])}: x}]\n`;
    };
    let formatted = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const text = `root:${block(0, pick(['  ', ' ', '    ']))}${random() < 0.2 ? '---\nsecond: 1\n' : ''}${random() < 0.2 ? '# trailing\n\n' : ''}`;
      const before = data(text);
      const tabSize = pick([2, 4]);
      const once = formatComposeText(text, tabSize);
      if (before === undefined) {
        assert.equal(once, undefined, JSON.stringify(text));
        continue;
      }
      assert.ok(once !== undefined, `a valid text is formatted: ${JSON.stringify(text)}`);
      formatted++;
      assert.deepEqual(data(once), before, JSON.stringify(text));
      assert.equal(formatComposeText(once, tabSize), once, `idempotent: ${JSON.stringify(text)}`);
    }
    assert.ok(formatted > ITERATIONS / 3, `enough valid inputs (${formatted})`);
  });

  it('formatting twice changes nothing', () => {
    const random = prng(SEED + 1);
    const corpus = composeFixtures();
    for (let i = 0; i < 300; i++) {
      const text = corpus[Math.floor(random() * corpus.length)]!.replace(/^( +)/gm, (spaces) => spaces.repeat(1 + Math.floor(random() * 3)));
      for (const tabSize of [2, 4]) {
        const once = formatComposeText(text, tabSize);
        if (once === undefined) continue;
        assert.equal(formatComposeText(once, tabSize), once, `idempotent at tab size ${tabSize}: ${JSON.stringify(text)}`);
      }
    }
  });
});
