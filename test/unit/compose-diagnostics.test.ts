import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { LineCounter, parseDocument } from 'yaml';
import { memoryHost, parseComposeFile } from '../../server/src/compose';
import { validateComposeSchema, validateComposeTree } from '../../server/src/compose/schema';
import { validateComposeTreeOrThrow } from '../../server/src/compose/schema/tree';
import { composeDocsUrl } from '../../server/src/rules/docs';
import { DocumentSettings } from '../../server/src/lsp/documentSettings';
import { DEFAULT_LINT_SETTINGS, type LintSettings } from '../../server/src/rules/settings';
import type { ComposeDiagnosticData } from '../../server/src/service/composeDiagnostics';
import { composeSuppressionEdits } from '../../server/src/service/composePragmas';
import { getLanguageService } from '../../server/src/service/languageService';
import { generateCompose } from '../bench/composeProjects';

/** A language service over an in-memory project under /w. */
function serviceFor(files: Record<string, string>) {
  const host = memoryHost(Object.fromEntries(Object.entries(files).map(([name, text]) => [`/w/${name}`, text])));
  return getLanguageService({ files: { readFile: (path) => host.readFile(path), exists: (path) => host.exists!(path) }, environment: {} });
}

let version = 0;
function validate(text: string, others: Record<string, string> = {}, settings: Partial<LintSettings> = {}): Diagnostic[] {
  const service = serviceFor({ ...others, 'compose.yaml': text });
  return service.validate(TextDocument.create('file:///w/compose.yaml', 'dockercompose', ++version, text), { ...DEFAULT_LINT_SETTINGS, ...settings });
}

/** [code, line (0-based), text covered] of each diagnostic. */
function summary(text: string, diagnostics: Diagnostic[]): [string, number, string][] {
  const document = TextDocument.create('file:///x', 'dockercompose', 0, text);
  return diagnostics.map((diagnostic) => [String(diagnostic.code), diagnostic.range.start.line, text.slice(document.offsetAt(diagnostic.range.start), document.offsetAt(diagnostic.range.end))]);
}

function applyEdits(text: string, edits: TextEdit[]): string {
  const document = TextDocument.create('file:///x', 'dockercompose', 0, text);
  return TextDocument.applyEdits(document, edits);
}

describe('compose schema on the parsed tree', () => {
  const schemaFindings = (text: string) => {
    const parsed = parseComposeFile(text, '/w/compose.yaml');
    return parsed.documents.flatMap((document) => validateComposeTree(document.root, text));
  };
  const asWritten = (text: string, findings: { message: string; range: { start: number; end: number }; suggestion?: { text: string; range: { start: number } } }[]) =>
    findings.map((finding) => [finding.message, text.slice(finding.range.start, finding.range.end), finding.suggestion?.text, finding.suggestion?.range.start]);

  it('finds what validating a yaml Document finds, with the same messages, ranges and did-you-means', () => {
    const texts = [
      generateCompose(12, { errors: 4 }),
      'x-base: &base\n  image: 5\n  restrat: always\nservices:\n  a:\n    <<: *base\n  b:\n    <<: *base\n    ports: [true, "80:80", {target: x}]\n',
      'services:\n  web:\n    image: nginx\n    build: {context: ., dockerfle: Dockerfile}\n    cgroup: shared\n    deploy:\n      replicas: ${N}\n      mode: replicatd\n',
      'x-build: &build\n  context: .\n  dockerfle: x\nservices:\n  web:\n    build: *build\n    environment:\n      - A=1\n      - 2\n',
      'services:\n  web:\n    image: a\n    healthcheck:\n      test: [CMD, x]\n      retries: many\nnetworks:\n  front:\n    driver_opts: [1]\nvolumes: 3\n',
    ];
    for (const text of texts) {
      const expected = validateComposeSchema(parseDocument(text, { lineCounter: new LineCounter() }), text);
      assert.ok(expected.length > 0, 'each text has schema findings');
      assert.deepEqual(asWritten(text, schemaFindings(text)), asWritten(text, expected), text);
    }
  });

  it('reports an alias value on the alias, a merged key in its anchor, and leaves !reset keys out', () => {
    assert.deepEqual(asWritten('x-n: &n 5\nservices:\n  web:\n    image: *n\n', schemaFindings('x-n: &n 5\nservices:\n  web:\n    image: *n\n')), [['services.web.image: expected a string, got a number', '*n', undefined, undefined]]);
    const merged = 'x-base: &base\n  imgae: nginx\nservices:\n  web:\n    <<: *base\n    user: root\n';
    assert.deepEqual(asWritten(merged, schemaFindings(merged)), [['services.web: unknown key "imgae" — did you mean "image"?', 'imgae', 'image', merged.indexOf('imgae')]]);
    assert.deepEqual(schemaFindings('services:\n  web:\n    image: nginx\n    bogus: !reset 1\n'), []);
  });

  it('never throws and stays inside the text on mutated compose files (seeded)', () => {
    let state = 0x5eed;
    const random = () => {
      state = (state * 1103515245 + 12345) >>> 0;
      return state / 4294967296;
    };
    const fragments = ['\n', '  ', ': ', '- ', '"', '[', ']', '{', '}', ',', '#', '&a ', '*a', '<<: *a\n', '!reset ', '!override ', '|\n', '---\n', '${X}', 'null', 'true', '1e3', '__proto__: 1\n'];
    const bases = [generateCompose(1, { errors: 1 }), 'x-a: &a\n  image: 5\n  ports: [80]\nservices:\n  web:\n    <<: *a\n    build: {context: ., dockerfle: x}\n    volumes: [*a, "a:/b"]\n'];
    let withFindings = 0;
    for (let i = 0; i < 300; i++) {
      let text = bases[i % bases.length]!;
      for (let edit = 0; edit < 1 + Math.floor(random() * 6); edit++) {
        const at = Math.floor(random() * (text.length + 1));
        text = random() < 0.5 ? text.slice(0, at) + fragments[Math.floor(random() * fragments.length)] + text.slice(at) : text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 10));
      }
      const parsed = parseComposeFile(text, '/w/compose.yaml');
      for (const document of parsed.documents) {
        let found;
        try {
          found = validateComposeTreeOrThrow(document.root, text);
        } catch (error) {
          assert.fail(`threw on ${JSON.stringify(text)}: ${(error as Error).stack}`);
        }
        if (found.length > 0) withFindings++;
        for (const finding of found) {
          assert.ok(finding.range.start >= 0 && finding.range.start <= finding.range.end && finding.range.end <= text.length, `range of "${finding.message}" in ${JSON.stringify(text)}`);
          assert.ok(!finding.message.includes('undefined'), finding.message);
        }
      }
    }
    assert.ok(withFindings > 30, `only ${withFindings} mutated files had schema findings`);
  });

  it('checks every document of a file', () => {
    const text = 'services:\n  a:\n    image: a\n---\nservices:\n  b:\n    imgae: b\n';
    assert.deepEqual(asWritten(text, schemaFindings(text)).map(([message, covers]) => [message, covers]), [['services.b: unknown key "imgae" — did you mean "image"?', 'imgae']]);
  });
});

describe('compose diagnostics', () => {
  it('link every diagnostic to its page and carry did-you-means for quick fixes', () => {
    const text = 'version: "3"\nservices:\n  web:\n    imgae: nginx\n';
    const diagnostics = validate(text);
    assert.deepEqual(summary(text, diagnostics), [
      ['obsolete-version', 0, 'version'],
      ['schema', 3, 'imgae'],
      ['no-image-or-build', 2, 'web'],
    ].sort((a, b) => (a[1] as number) - (b[1] as number)));
    for (const diagnostic of diagnostics) assert.equal(diagnostic.codeDescription?.href, composeDocsUrl(String(diagnostic.code)));
    assert.match(composeDocsUrl('invalid-port'), /\/docs\/rules\/compose\/invalid-port\.md$/);
    const schema = diagnostics.find((diagnostic) => diagnostic.code === 'schema')!;
    assert.deepEqual((schema.data as ComposeDiagnosticData).suggestion, { text: 'image', range: schema.range });
  });

  it('check the schema of the other files of the project too, and skip it on broken YAML', () => {
    const service = serviceFor({ 'compose.yaml': 'services:\n  web:\n    image: nginx\n', 'compose.override.yaml': 'services:\n  web:\n    imgae: x\n' });
    const byUri = service.validateProject(TextDocument.create('file:///w/compose.yaml', 'dockercompose', ++version, 'services:\n  web:\n    image: nginx\n'));
    assert.deepEqual([...byUri.keys()], ['file:///w/compose.yaml', 'file:///w/compose.override.yaml']);
    assert.deepEqual(byUri.get('file:///w/compose.yaml'), []);
    assert.deepEqual(byUri.get('file:///w/compose.override.yaml')!.map((diagnostic) => [diagnostic.code, diagnostic.range.start.line]), [['schema', 2]]);
    const broken = 'services:\n  web:\n    imgae: "nginx\n';
    const codes = validate(broken).map((diagnostic) => diagnostic.code);
    assert.ok(codes.includes('yaml-syntax') && !codes.includes('schema'), codes.join());
  });

  it('honour ignored codes and severity overrides', () => {
    const text = 'version: "3"\nservices:\n  web:\n    image: nginx\n    depends_on: [db]\n';
    assert.deepEqual(validate(text).map((diagnostic) => [diagnostic.code, diagnostic.severity]), [['obsolete-version', 2], ['undefined-service', 1]]);
    const settings = { ignored: new Set(['obsolete-version']), severityOverrides: new Map([['undefined-service', 'warning' as const]]) };
    assert.deepEqual(validate(text, {}, settings).map((diagnostic) => [diagnostic.code, diagnostic.severity]), [['undefined-service', 2]]);
  });
});

describe('compose settings in the editor', () => {
  it('berth.compose.ignore applies to compose documents only, and .hadolint.yaml rules do not', () => {
    const settings = new DocumentSettings();
    settings.setEditorSettings({ rules: { 'invalid-port': 'off' } });
    settings.setComposeSettings({ ignore: ['port-conflict', 5, ' obsolete-version '] });
    const compose = settings.composeSettingsFor('file:///w/compose.yaml');
    assert.deepEqual([...compose.ignored].sort(), ['obsolete-version', 'port-conflict']);
    assert.ok(!settings.settingsFor('file:///w/Dockerfile').ignored.has('port-conflict'));
    const text = 'version: "3"\nservices:\n  a:\n    image: a\n    ports: ["80:80", "x:1"]\n  b:\n    image: b\n    ports: ["80:80"]\n';
    assert.deepEqual(validate(text).map((diagnostic) => diagnostic.code).sort(), ['invalid-port', 'obsolete-version', 'port-conflict']);
    assert.deepEqual(validate(text, {}, compose).map((diagnostic) => diagnostic.code), ['invalid-port']);
  });
});

describe('compose pragmas', () => {
  const project = 'services:\n  web:\n    image: nginx\n    # berth ignore=undefined-service\n    depends_on: [db]\n    networks: [front]\n';

  it('# berth ignore= silences its codes on the next line only', () => {
    assert.deepEqual(summary(project, validate(project)), [['undefined-network', 5, 'front']]);
    const twoCodes = 'services:\n  web:\n    image: nginx\n    # why: db comes from another project\n    # berth ignore=undefined-service, undefined-network\n    depends_on: [db]\n    networks: [front]\n';
    assert.deepEqual(summary(twoCodes, validate(twoCodes)), [['undefined-network', 6, 'front']]);
  });

  it('a blank line ends the comment block a pragma counts in', () => {
    const text = 'services:\n  web:\n    image: nginx\n    # berth ignore=undefined-service\n\n    depends_on: [db]\n';
    assert.deepEqual(summary(text, validate(text)), [['undefined-service', 5, 'db']]);
  });

  it('# berth global ignore= silences its codes in the whole file, wherever it is', () => {
    const text = 'services:\n  web:\n    image: nginx\n    depends_on: [db, cache]\n# berth global ignore=undefined-service\n';
    assert.deepEqual(validate(text), []);
  });

  it('a pragma-looking line inside a block scalar is text, not a pragma', () => {
    const text = 'services:\n  web:\n    image: nginx\n    command: |\n      # berth ignore=undefined-service\n      run\n    depends_on: [db]\n';
    assert.deepEqual(summary(text, validate(text)), [['undefined-service', 6, 'db']]);
  });

  it('applies in each file of the project to the findings in that file', () => {
    const service = serviceFor({ 'compose.override.yaml': 'services:\n  web:\n    # berth ignore=port-conflict\n    ports: ["80:80", "80:81"]\n' });
    const text = 'services:\n  web:\n    image: nginx\n';
    const byUri = service.validateProject(TextDocument.create('file:///w/compose.yaml', 'dockercompose', ++version, text));
    assert.deepEqual(byUri.get('file:///w/compose.override.yaml'), []);
  });

  it('are ignored with disableIgnorePragma', () => {
    assert.deepEqual(
      validate(project, {}, { disableIgnorePragma: true }).map((diagnostic) => diagnostic.code),
      ['undefined-service', 'undefined-network'],
    );
  });
});

describe('composeSuppressionEdits', () => {
  it('inserts an ignore pragma above the line, indented like it, and it silences the finding', () => {
    const text = 'services:\n  web:\n    image: nginx\n    depends_on: [db]\n';
    const diagnostic = validate(text).find((candidate) => candidate.code === 'undefined-service')!;
    const edits = composeSuppressionEdits(text, diagnostic.range, 'undefined-service', 'line');
    const fixed = applyEdits(text, edits);
    assert.equal(fixed, 'services:\n  web:\n    image: nginx\n    # berth ignore=undefined-service\n    depends_on: [db]\n');
    assert.deepEqual(validate(fixed), []);
  });

  it('adds the code to a pragma already above the line, once', () => {
    const text = 'services:\n  web:\n    image: nginx\n    # berth ignore=undefined-network\n    depends_on: [db]\n';
    const range = { start: { line: 4, character: 17 }, end: { line: 4, character: 19 } };
    const fixed = applyEdits(text, composeSuppressionEdits(text, range, 'undefined-service', 'line'));
    assert.equal(fixed, 'services:\n  web:\n    image: nginx\n    # berth ignore=undefined-network,undefined-service\n    depends_on: [db]\n');
    assert.deepEqual(composeSuppressionEdits(fixed, range, 'undefined-service', 'line'), []);
  });

  it('puts the pragma above a block scalar, not inside it', () => {
    const text = 'services:\n  web:\n    image: nginx\n    command: |\n      echo ${A:?}\n';
    const fixed = applyEdits(text, composeSuppressionEdits(text, { start: { line: 4, character: 11 }, end: { line: 4, character: 16 } }, 'invalid-interpolation', 'line'));
    assert.equal(fixed, 'services:\n  web:\n    image: nginx\n    # berth ignore=invalid-interpolation\n    command: |\n      echo ${A:?}\n');
  });

  it('for the whole file: a global pragma on the first line, or the code added to the one there', () => {
    const text = 'version: "3"\nservices:\n  web:\n    image: nginx\n';
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 7 } };
    const fixed = applyEdits(text, composeSuppressionEdits(text, range, 'obsolete-version', 'file'));
    assert.equal(fixed, '# berth global ignore=obsolete-version\nversion: "3"\nservices:\n  web:\n    image: nginx\n');
    assert.deepEqual(validate(fixed), []);
    assert.equal(applyEdits(fixed, composeSuppressionEdits(fixed, range, 'schema', 'file')).split('\n')[0], '# berth global ignore=obsolete-version,schema');
  });
});
