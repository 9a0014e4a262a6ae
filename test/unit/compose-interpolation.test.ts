import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getPath, interpolateTree, parseComposeFile, parseEnvFile, substitute, type ComposeFinding, type ComposeScalar } from '../../server/src/compose';

const env = (values: Record<string, string>) => (name: string) => (Object.hasOwn(values, name) ? values[name] : undefined);

describe('substitute (compose interpolation)', () => {
  const vars = env({ SET: 'value', EMPTY: '', PORT: '8080', NESTED: 'inner' });
  const value = (template: string) => substitute(template, vars).value;

  it('replaces $VAR and ${VAR}, unset variables by the empty string', () => {
    assert.equal(value('a-$SET-${SET}-b'), 'a-value-value-b');
    assert.equal(value('$UNSET|${UNSET}|'), '||');
    assert.deepEqual(substitute('$UNSET ${OTHER}', vars).unresolved, ['UNSET', 'OTHER']);
    assert.equal(value('$SET_SUFFIX'), '');
    assert.equal(value('${SET}_SUFFIX'), 'value_SUFFIX');
  });

  it('treats $$ as a literal dollar and leaves a lone $ alone', () => {
    assert.equal(value('echo $$HOME $$$SET'), 'echo $HOME $value');
    assert.equal(value('cost: 5$ or $1 or $-'), 'cost: 5$ or $1 or $-');
    assert.equal(value('$'), '$');
  });

  it('applies defaults and alternatives with and without the colon', () => {
    assert.equal(value('${UNSET:-def}|${EMPTY:-def}|${SET:-def}'), 'def|def|value');
    assert.equal(value('${UNSET-def}|${EMPTY-def}|${SET-def}'), 'def||value');
    assert.equal(value('${UNSET:+alt}|${EMPTY:+alt}|${SET:+alt}'), '||alt');
    assert.equal(value('${UNSET+alt}|${EMPTY+alt}|${SET+alt}'), '|alt|alt');
    assert.equal(value('${UNSET:-}'), '');
    assert.equal(value('${UNSET:-a:b-c}'), 'a:b-c');
    assert.deepEqual(substitute('${UNSET:-def}', vars).unresolved, []);
  });

  it('nests defaults and alternatives', () => {
    assert.equal(value('${A:-${B:-x}}'), 'x');
    assert.equal(value('${A:-${NESTED:-x}}'), 'inner');
    assert.equal(value('${SET:+${PORT}:80}'), '8080:80');
    assert.equal(value('${A:-${B:-${C:-deep}}}-after'), 'deep-after');
    assert.equal(value('${A:-{x}}'), '{x}', 'a brace that does not start a ${ closes the expression');
    assert.equal(value('${A:-$$}'), '$');
  });

  it('reports required variables with compose\'s message', () => {
    const unset = substitute('${DB_PASSWORD:?set it in .env}', vars);
    assert.deepEqual(unset.errors, [{ start: 0, end: 30, kind: 'required', message: 'required variable DB_PASSWORD is not set: set it in .env' }]);
    assert.equal(substitute('${EMPTY:?needed}', vars).errors[0]!.message, 'required variable EMPTY is empty: needed');
    assert.deepEqual(substitute('${EMPTY?needed}', vars).errors, []);
    assert.equal(substitute('${UNSET?}', vars).errors[0]!.message, 'required variable UNSET is not set');
    assert.equal(substitute('x ${SET:?m} y', vars).value, 'x value y');
    assert.deepEqual(substitute('${UNSET:?need ${SET}}', vars).errors[0]!.message, 'required variable UNSET is not set: need value');
    // Like compose, the default is interpolated before the variable is looked at.
    assert.equal(substitute('${SET:-${UNSET:?inner}}', vars).errors.length, 1);
  });

  it('reports malformed expressions with the offsets of the expression', () => {
    const cases: [string, string, string][] = [
      ['image: ${TAG', '${TAG', '"${TAG" is not closed by "}"'],
      ['${TAG:x}', '${TAG:x}', '"${TAG:x}" is not a variable reference: after the name compose expects "}", ":-", "-", ":?", "?", ":+" or "+"'],
      ['a ${1ABC} b', '${1ABC}', '"${1ABC}" does not start with a variable name'],
      ['${}', '${}', '"${}" does not start with a variable name'],
      ['${A.B}', '${A.B}', '"${A.B}" is not a variable reference: after the name compose expects "}", ":-", "-", ":?", "?", ":+" or "+"'],
      ['${A:-${B}', '${A:-${B}', '"${A:-${B}" is not closed by "}"'],
      ['${A:-x\n}', '${A:-x', '"${A:-x" is not closed by "}"'],
    ];
    for (const [template, expression, message] of cases) {
      const result = substitute(template, vars);
      assert.equal(result.errors.length, 1, template);
      const error = result.errors[0]!;
      assert.equal(template.slice(error.start, error.end), expression, template);
      assert.equal(error.message, message, template);
      assert.equal(error.kind, 'syntax');
    }
  });
});

describe('interpolateTree', () => {
  it('keeps the raw value and range of every scalar next to its interpolated value', () => {
    const text = 'services:\n  web:\n    image: "nginx:${TAG:-latest}"\n    ports: ["${PORT}:80"]\n    command: echo $$HOME\n    environment:\n      URL: http://${HOST}\n';
    const parsed = parseComposeFile(text, 'f');
    const findings: ComposeFinding[] = [];
    const tree = interpolateTree(parsed.documents[0]!.root!, { lookup: env({ PORT: '8080' }), text, findings });
    const image = getPath(tree, 'services', 'web', 'image') as ComposeScalar;
    assert.deepEqual([image.raw, image.value, text.slice(image.range.start, image.range.end)], ['nginx:${TAG:-latest}', 'nginx:latest', '"nginx:${TAG:-latest}"']);
    assert.equal((getPath(tree, 'services', 'web', 'command') as ComposeScalar).value, 'echo $HOME');
    const url = getPath(tree, 'services', 'web', 'environment', 'URL') as ComposeScalar;
    assert.deepEqual([url.value, url.unresolved], ['http://', ['HOST']]);
    assert.deepEqual(findings, []);
    // The parsed tree is untouched.
    assert.equal((getPath(parsed.documents[0]!.root, 'services', 'web', 'image') as ComposeScalar).value, 'nginx:${TAG:-latest}');
  });

  it('reports invalid-interpolation at the expression inside the scalar, naming the path', () => {
    const text = 'services:\n  web:\n    image: nginx:${TAG\n    environment:\n      - "PASSWORD=${DB_PASSWORD:?set DB_PASSWORD}"\n    labels:\n      note: |\n        ${BROKEN\n';
    const findings: ComposeFinding[] = [];
    interpolateTree(parseComposeFile(text, 'f').documents[0]!.root!, { lookup: env({}), text, findings });
    assert.deepEqual(
      findings.map((finding) => [finding.code, text.slice(finding.range.start, finding.range.end), finding.message]),
      [
        ['invalid-interpolation', '${TAG', 'services.web.image: invalid interpolation: "${TAG" is not closed by "}" (write $$ for a literal $)'],
        ['invalid-interpolation', '${DB_PASSWORD:?set DB_PASSWORD}', 'services.web.environment[0]: required variable DB_PASSWORD is not set: set DB_PASSWORD'],
        // A block scalar does not map one to one onto its text: the whole scalar is reported.
        ['invalid-interpolation', '|\n        ${BROKEN', 'services.web.labels.note: invalid interpolation: "${BROKEN" is not closed by "}" (write $$ for a literal $)'],
      ],
    );
  });

  it('interpolates an aliased value once and reports it once', () => {
    const text = 'x-img: &img "app:${TAG"\nservices:\n  a:\n    image: *img\n  b:\n    image: *img\n';
    const findings: ComposeFinding[] = [];
    const tree = interpolateTree(parseComposeFile(text, 'f').documents[0]!.root!, { lookup: env({}), text, findings });
    assert.equal(findings.length, 1);
    assert.equal((getPath(tree, 'services', 'b', 'image') as ComposeScalar).value, 'app:');
  });
});

describe('parseEnvFile (compose .env syntax)', () => {
  it('reads keys, export, comments, quotes and YAML-style colons', () => {
    const text = '# comment\n\nexport A=1\nB = two words  # trailing comment\nC="quoted # not a comment"\nD=\'single $A\'\nE: yaml style\nF=a#b\nG=\n';
    const result = parseEnvFile(text);
    assert.deepEqual(Object.fromEntries(result.values), { A: '1', B: 'two words', C: 'quoted # not a comment', D: 'single $A', E: 'yaml style', F: 'a#b', G: '' });
    assert.deepEqual(result.problems, []);
    const b = result.entries.find((entry) => entry.name === 'B')!;
    assert.equal(text.slice(b.nameRange.start, b.nameRange.end), 'B');
    assert.equal(text.slice(b.valueRange.start, b.valueRange.end), 'two words');
  });

  it('reads multi-line quoted values and escapes in double quotes', () => {
    const result = parseEnvFile('CERT="line one\nline two"\nESC="tab\\there\\nnew \\"quote\\" \\$HOME \\\\"\nRAW=\'no\\nescape\'\nNEXT=ok\n');
    assert.deepEqual(Object.fromEntries(result.values), { CERT: 'line one\nline two', ESC: 'tab\there\nnew "quote" $HOME \\', RAW: 'no\\nescape', NEXT: 'ok' });
  });

  it('expands variables: the lookup first, then keys set earlier in the file', () => {
    const lookup = env({ HOME: '/home/me', A: 'from-env' });
    const result = parseEnvFile('A=from-file\nB=${A}\nC=$HOME/data\nD=${MISSING:-fallback}\nE="${B}-x"\nF=\'${B}\'\nG=$$literal\n', lookup);
    assert.deepEqual(Object.fromEntries(result.values), { A: 'from-file', B: 'from-env', C: '/home/me/data', D: 'fallback', E: 'from-env-x', F: '${B}', G: '$literal' });
  });

  it('takes a bare key from the lookup, or leaves it unset', () => {
    const result = parseEnvFile('PATH\nUNKNOWN\nX=1', env({ PATH: '/usr/bin' }));
    assert.deepEqual(Object.fromEntries(result.values), { PATH: '/usr/bin', X: '1' });
    assert.equal(result.entries.find((entry) => entry.name === 'UNKNOWN')!.inherited, true);
  });

  it('stops at the first error, as compose does, with its range', () => {
    const cases: [string, string, string][] = [
      ['A=1\nB="unterminated\nC=3\n', '"unterminated\nC=3\n'.split('\n')[0]!, 'unterminated quoted value "unterminated'],
      ['MY KEY=1\n', 'MY KEY', 'variable name "MY KEY" cannot contain a space'],
      ['A@B=1\n', '@', 'unexpected character "@" in variable name "A@B=1"'],
      ['A=${B\n', '${B', '"${B" is not closed by "}"'],
      ['A=${B:?B is required}\n', '${B:?B is required}', 'required variable B is not set: B is required'],
    ];
    for (const [text, where, message] of cases) {
      const result = parseEnvFile(text);
      assert.equal(result.problems.length, 1, text);
      const problem = result.problems[0]!;
      assert.equal(text.slice(problem.range.start, problem.range.end), where, text);
      assert.equal(problem.message, message, text);
    }
  });

  it('skips a byte order mark and never throws', () => {
    assert.deepEqual(Object.fromEntries(parseEnvFile('\ufeffA=1\n').values), { A: '1' });
    for (const text of ['', '=', '"', '\'', 'export', 'A="\\', '\u0000', 'A=${', '\n\n#', 'A:\n']) parseEnvFile(text);
  });
});
