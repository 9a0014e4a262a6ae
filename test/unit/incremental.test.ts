import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDockerfile, buildModel, parseDockerfile, type DockerfileModel, type InstructionState, type StageReference, type VariableBinding } from '../../server/src/dockerfile';
import { DOCKERFILE_RULES } from '../../server/src/rules/dockerfile';
import { perInstruction, perStage } from '../../server/src/rules/context';
import { IncrementalLinter } from '../../server/src/rules/incremental';
import { runRules } from '../../server/src/rules/runner';
import { DEFAULT_LINT_SETTINGS, type LintSettings } from '../../server/src/rules/settings';
import type { Rule } from '../../server/src/rules/types';
import { getLanguageService } from '../../server/src/service/languageService';
import { generateDockerfile } from '../bench/generate';
import { repoRoot } from '../support/paths';
import { prng } from '../support/fuzz';

// Seeded, so a failure names the edit that reproduces it. BERTH_FUZZ_ITERATIONS
// makes the sequences longer (npm run fuzz).
const STEPS = Math.max(1, Math.round(Number(process.env.BERTH_FUZZ_ITERATIONS ?? 10_000) / 250));
const SEED = Number(process.env.BERTH_FUZZ_SEED ?? 0x1ec7);

/** Characters a user types in a Dockerfile, those that change its structure most often included. */
const TYPED = 'abcdefgiklmnoprstuyAEFNORSUX0123456789 \t\n\\"\'$={}[],-./:#@<>|&;`*';
/** Now and then a paste, to cover edits that add or remove whole instructions. */
const PASTED = ['FROM alpine:3.20 AS x\n', 'ARG V=1\n', 'ENV A=$V\n', 'RUN apt-get install -y curl\n', 'ONBUILD RUN pip install x\n', 'COPY --from=x /a /b\n', '# hadolint ignore=DL3008\n', '<<EOF\nset -e\nEOF\n', 'SHELL ["/bin/bash", "-c"]\n', 'WORKDIR app\n', 'USER root\n', '\\\n', '# escape=`\n',
  // What the stage rules look for: several CMDs or HEALTHCHECKs, an archive copied then unpacked, curl and wget, short RUNs in a row.
  'CMD ["sh"]\n', 'HEALTHCHECK NONE\n', 'COPY app.tar.gz /tmp/\n', 'RUN tar -xzf /tmp/app.tar.gz\n', 'RUN wget -q https://example.com/x\n', 'RUN mkdir /x\n'];

/** One keystroke (or paste) at a random place: insert, delete or replace one character. */
function edit(random: () => number, text: string): string {
  const at = Math.floor(random() * (text.length + 1));
  const choice = random();
  if (choice < 0.45) return text.slice(0, at) + TYPED[Math.floor(random() * TYPED.length)] + text.slice(at);
  if (choice < 0.75) return text.slice(0, at) + text.slice(at + 1);
  if (choice < 0.95) return text.slice(0, at) + TYPED[Math.floor(random() * TYPED.length)] + text.slice(at + 1);
  return text.slice(0, at) + PASTED[Math.floor(random() * PASTED.length)] + text.slice(at);
}

const examples = (rules: readonly Rule[]) => rules.flatMap((rule) => [...rule.examples.fire, ...rule.examples.pass]);

/** Realistic files: the repository's examples, a generated multi-stage file, and every rule example one after the other. */
const FILES: [string, string][] = [
  ['examples/Dockerfile', readFileSync(join(repoRoot, 'examples/Dockerfile'), 'utf8')],
  ['examples/api/Dockerfile', readFileSync(join(repoRoot, 'examples/api/Dockerfile'), 'utf8')],
  ['generated, 150 lines', generateDockerfile(150)],
  ...[0, 1, 2, 3, 4, 5].map((part): [string, string] => [`rule examples ${part + 1}/6`, examples(DOCKERFILE_RULES.filter((_, index) => index % 6 === part)).join('')]),
];

/** Every configuration-driven rule switched on, so all of them run. */
const ALL_ON: LintSettings = Object.assign({}, DEFAULT_LINT_SETTINGS, ...DOCKERFILE_RULES.map((rule) => rule.exampleSettings ?? {}), {
  severityOverrides: new Map(DOCKERFILE_RULES.filter((rule) => rule.enabledByDefault === false).map((rule) => [rule.id, rule.severity])),
  shellcheck: false,
});

const summary = (run: ReturnType<typeof runRules>) => ({ results: run.results, failures: run.failures.map((failure) => failure.code) });

describe('incremental re-lint', () => {
  for (const [settingsName, settings] of [['default settings', DEFAULT_LINT_SETTINGS], ['every rule on', ALL_ON]] as const) {
    for (const [name, original] of FILES) {
      it(`gives what a fresh run gives after each of ${STEPS} random edits of ${name} (${settingsName}, seed ${SEED})`, () => {
        const linter = new IncrementalLinter(DOCKERFILE_RULES);
        afterEachEdit(SEED ^ name.length ^ settingsName.length, original, (text) => ({
          incremental: summary(linter.lint(analyzeDockerfile(text), settings)),
          fresh: summary(runRules(analyzeDockerfile(text), DOCKERFILE_RULES, settings)),
        }));
      });
    }
  }

  it('checks again only the instruction an edit changed, unless the edit changes what all of them depend on', () => {
    const linter = new IncrementalLinter(DOCKERFILE_RULES);
    const text = generateDockerfile(400);
    // The first version gets a plain run, and the first edit files what it found per instruction.
    linter.lint(analyzeDockerfile(text), DEFAULT_LINT_SETTINGS);
    assert.equal(linter.lastRun.checked, linter.lastRun.instructions);
    const inRun = text.indexOf('npm ci', text.length >> 1);
    linter.lint(analyzeDockerfile(text.slice(0, inRun) + 'x' + text.slice(inRun)), DEFAULT_LINT_SETTINGS);
    assert.equal(linter.lastRun.checked, 1);
    linter.lint(analyzeDockerfile(text), DEFAULT_LINT_SETTINGS);
    assert.equal(linter.lastRun.checked, 1);
    linter.lint(analyzeDockerfile(text), DEFAULT_LINT_SETTINGS);
    assert.equal(linter.lastRun.checked, 0);
    // An ENV is a state instruction: its value may change what every later instruction means.
    const inEnv = text.indexOf('production', text.length >> 1);
    linter.lint(analyzeDockerfile(text.slice(0, inEnv) + 'x' + text.slice(inEnv)), DEFAULT_LINT_SETTINGS);
    assert.equal(linter.lastRun.checked, linter.lastRun.instructions);
  });

  it('looks again only at the stage an edit changed for the rules about whole stages, and still reports the others', () => {
    const linter = new IncrementalLinter(DOCKERFILE_RULES);
    const stage = (name: string) => `FROM debian:12 AS ${name}\nUSER root\nRUN curl -fsSLO https://example.com/a\nRUN wget -q https://example.com/b\nCMD ["a"]\nCMD ["b"]\n`;
    const text = `ARG BASE=debian:12\n${['one', 'two', 'three'].map(stage).join('\n')}`;
    const codes = (run: ReturnType<typeof runRules>) => run.results.map((result) => result.code).filter((code) => ['DL3002', 'DL4001', 'DL4003', 'DL3059'].includes(code));
    linter.lint(analyzeDockerfile(text), DEFAULT_LINT_SETTINGS);
    assert.deepEqual(linter.lastRun.sectionsChecked, 4);
    // The next version takes over what the first version's plain run found in each stage.
    const first = linter.lint(analyzeDockerfile(text), DEFAULT_LINT_SETTINGS);
    assert.deepEqual(linter.lastRun.sectionsChecked, 0);
    // Each stage: its last USER is root, it uses curl and wget, two short RUNs in a row, two CMDs.
    assert.deepEqual(codes(first).sort(), ['DL3002', 'DL3059', 'DL4001', 'DL4003'].flatMap((code) => [code, code, code]).sort());
    const edited = text.replace('wget -q https://example.com/b\nCMD ["a"]\nCMD ["b"]\n\nFROM debian:12 AS three', 'wget -q https://example.com/bb\nCMD ["a"]\nCMD ["b"]\n\nFROM debian:12 AS three');
    assert.notEqual(edited, text);
    const run = linter.lint(analyzeDockerfile(edited), DEFAULT_LINT_SETTINGS);
    assert.deepEqual({ sections: linter.lastRun.sections, checked: linter.lastRun.sectionsChecked }, { sections: 4, checked: 1 });
    assert.deepEqual(summary(run), summary(runRules(analyzeDockerfile(edited), DOCKERFILE_RULES, DEFAULT_LINT_SETTINGS)));
    // A new USER in the stage changes what the stage rules find there, and only there.
    const fixed = edited.replace('CMD ["b"]\n\nFROM debian:12 AS three', 'CMD ["b"]\nUSER app\n\nFROM debian:12 AS three');
    const after = linter.lint(analyzeDockerfile(fixed), DEFAULT_LINT_SETTINGS);
    assert.deepEqual(summary(after), summary(runRules(analyzeDockerfile(fixed), DOCKERFILE_RULES, DEFAULT_LINT_SETTINGS)));
    assert.equal(codes(after).filter((code) => code === 'DL3002').length, 2);
  });

  it('keeps giving fresh results when the settings change between runs', () => {
    const linter = new IncrementalLinter(DOCKERFILE_RULES);
    const text = examples(DOCKERFILE_RULES).join('');
    for (const settings of [DEFAULT_LINT_SETTINGS, ALL_ON, { ...ALL_ON }, DEFAULT_LINT_SETTINGS, { ...DEFAULT_LINT_SETTINGS, ignored: new Set(['DL3008']) }]) {
      assert.deepEqual(summary(linter.lint(analyzeDockerfile(text), settings)), summary(runRules(analyzeDockerfile(text), DOCKERFILE_RULES, settings)));
    }
  });

  it('reports a rule that throws as a full run does, and recovers', () => {
    // A copy of DL3008 that throws on a RUN holding "gitk" while `throwing` is set.
    const local = DOCKERFILE_RULES.find((rule) => rule.id === 'DL3008')!.local!;
    let throwing = false;
    const rule: Rule = {
      ...DOCKERFILE_RULES.find((each) => each.id === 'DL3008')!,
      id: 'Throws',
      ...perInstruction({
        ...local,
        visit(instruction, context, report, onbuild) {
          if (throwing && instruction.argsText.includes('gitk')) throw new Error('bug');
          local.visit(instruction, context, report, onbuild);
        },
      }),
    };
    const rules = [...DOCKERFILE_RULES, rule];
    const linter = new IncrementalLinter(rules);
    const text = 'FROM debian:12\nRUN apt-get install -y curl\nRUN apt-get install -y git\nRUN apt-get install -y vim\n';
    const fresh = (source: string) => summary(runRules(analyzeDockerfile(source), rules, DEFAULT_LINT_SETTINGS));
    assert.deepEqual(summary(linter.lint(analyzeDockerfile(text), DEFAULT_LINT_SETTINGS)), fresh(text));
    throwing = true;
    const edited = text.replace('git', 'gitk');
    const run = summary(linter.lint(analyzeDockerfile(edited), DEFAULT_LINT_SETTINGS));
    assert.deepEqual(run, fresh(edited));
    assert.deepEqual(run.failures, ['Throws']);
    throwing = false;
    assert.deepEqual(summary(linter.lint(analyzeDockerfile(text), DEFAULT_LINT_SETTINGS)), fresh(text));
  });

  it('reports a stage rule that throws as a full run does, and recovers', () => {
    // A copy of DL4003 that throws on a stage holding "gitk" while `throwing` is set.
    const original = DOCKERFILE_RULES.find((rule) => rule.id === 'DL4003')!;
    const stageCheck = original.stage!;
    let throwing = false;
    const rule: Rule = {
      ...original,
      id: 'ThrowsInStage',
      ...perStage({
        preamble: true,
        visit(instructions, stage, context, report) {
          if (throwing && instructions.some((instruction) => instruction.argsText.includes('gitk'))) throw new Error('bug');
          if (stage && !stageCheck.preamble) stageCheck.visit(instructions, stage, context, report);
        },
      }),
    };
    const rules = [...DOCKERFILE_RULES, rule];
    const linter = new IncrementalLinter(rules);
    const text = 'FROM debian:12 AS a\nCMD ["a"]\nCMD ["b"]\nFROM debian:12 AS b\nRUN git --version\nCMD ["a"]\nCMD ["b"]\n';
    const fresh = (source: string) => summary(runRules(analyzeDockerfile(source), rules, DEFAULT_LINT_SETTINGS));
    assert.deepEqual(summary(linter.lint(analyzeDockerfile(text), DEFAULT_LINT_SETTINGS)), fresh(text));
    throwing = true;
    const edited = text.replace('git', 'gitk');
    const run = summary(linter.lint(analyzeDockerfile(edited), DEFAULT_LINT_SETTINGS));
    assert.deepEqual(run, fresh(edited));
    assert.deepEqual(run.failures, ['ThrowsInStage']);
    throwing = false;
    const recovered = summary(linter.lint(analyzeDockerfile(text), DEFAULT_LINT_SETTINGS));
    assert.deepEqual(recovered, fresh(text));
    assert.equal(recovered.results.filter((result) => result.code === 'ThrowsInStage').length, 2);
  });

  it('through the language service: validating each version of a document gives what a new service gives', () => {
    const random = prng(SEED);
    const service = getLanguageService();
    let text = generateDockerfile(120) + examples(DOCKERFILE_RULES.slice(0, 20)).join('');
    for (let version = 1; version <= Math.ceil(STEPS / 4); version++) {
      text = edit(random, text);
      const document = TextDocument.create('file:///w/Dockerfile', 'dockerfile', version, text);
      assert.deepEqual(service.validate(document, ALL_ON), getLanguageService().validate(document, ALL_ON), `version ${version}: ${JSON.stringify(text)}`);
    }
  });
});

/**
 * Makes STEPS random edits of `original`; after each, `compare` gives what the
 * incremental path made of the new text and what a fresh start made of it,
 * which must be equal.
 */
function afterEachEdit(seed: number, original: string, compare: (text: string) => { incremental: unknown; fresh: unknown }): void {
  const random = prng(seed);
  let text = original;
  for (let step = 0; step < STEPS; step++) {
    const before = text;
    text = edit(random, text);
    const { incremental, fresh } = compare(text);
    if (!isDeepStrictEqual(incremental, fresh)) {
      assert.deepEqual(incremental, fresh, `step ${step}: after editing ${JSON.stringify(before)}\ninto ${JSON.stringify(text)}`);
    }
  }
}

function isDeepStrictEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

describe('incremental parse', () => {
  for (const [name, original] of FILES) {
    it(`parses each of ${STEPS} edits of ${name} from the previous tree exactly as from scratch (seed ${SEED})`, () => {
      let previous = parseDockerfile(original);
      afterEachEdit(SEED ^ name.length, original, (text) => {
        const incremental = parseDockerfile(text, { previous });
        previous = incremental;
        return { incremental, fresh: parseDockerfile(text) };
      });
    });
  }

  it('takes unchanged instructions from the previous tree', () => {
    const text = generateDockerfile(400);
    const previous = parseDockerfile(text);
    const at = text.indexOf('npm ci', text.length >> 1);
    const edited = parseDockerfile(text.slice(0, at) + 'x' + text.slice(at), { previous });
    const same = edited.instructions.filter((instruction) => previous.instructions.includes(instruction)).length;
    // Those before the edit are the very same objects; those after it are moved copies.
    assert.ok(same > previous.instructions.length / 3, `${same} of ${previous.instructions.length} reused as they are`);
  });
});

/** Everything the model says about a tree, with instructions, stages and global ARGs named by their index (anything from another model shows). */
function describeModel(model: DockerfileModel): unknown {
  const instructions = model.ast.instructions;
  const instructionIndex = new Map(instructions.map((instruction, index) => [instruction, index]));
  const instruction = (value: unknown) => (value === undefined ? undefined : (instructionIndex.get(value as never) ?? 'an instruction of another tree'));
  const stage = (value: unknown) => (value === undefined ? undefined : model.stages.includes(value as never) ? (value as { index: number }).index : 'a stage of another model');
  const binding = (value: VariableBinding): unknown => ({
    ...value,
    instruction: instruction(value.instruction),
    global: value.global && (model.globalArgs.includes(value.global) ? model.globalArgs.indexOf(value.global) : 'a global of another model'),
    inheritedFrom: stage(value.inheritedFrom),
  });
  const reference = (value: StageReference) => ({ ...value, stage: stage(value.stage), user: stage(value.user), instruction: instruction(value.instruction) });
  const state = (value: InstructionState) => ({
    stage: stage(value.stage),
    user: value.user && { ...value.user, instruction: instruction(value.user.instruction) },
    workdir: { ...value.workdir, instruction: instruction(value.workdir.instruction) },
    shell: { ...value.shell, instruction: instruction(value.shell.instruction) },
  });
  return {
    globalArgs: model.globalArgs.map(binding),
    predefinedArgs: model.predefinedArgs.map(binding),
    stages: model.stages.map((each) => ({
      ...each,
      from: instruction(each.from),
      base: { ...each.base, stage: stage(each.base.stage) },
      instructions: each.instructions.map(instruction),
      args: each.args.map(binding),
      env: each.env.map(binding),
      uses: each.uses.map(reference),
      usedBy: each.usedBy.map(reference),
      finalState: state(each.finalState),
    })),
    instructions: instructions.map((each) => ({
      stage: stage(model.stageOf(each)),
      state: state(model.stateAt(each)),
      variables: [...model.variablesAt(each)].map(([name, value]) => [name, binding(value)]),
    })),
  };
}

describe('incremental model', () => {
  for (const [name, original] of FILES) {
    it(`builds each of ${STEPS} edits of ${name} from the previous model exactly as from scratch (seed ${SEED})`, () => {
      let previous = analyzeDockerfile(original);
      afterEachEdit(SEED ^ name.length ^ 0x30de1, original, (text) => {
        const ast = parseDockerfile(text, { previous: previous.ast });
        const incremental = buildModel(ast, { previous });
        const fresh = describeModel(buildModel(ast));
        previous = incremental;
        return { incremental: describeModel(incremental), fresh };
      });
    });
  }

  it('takes the stages before an edit from the previous model, and finds again who uses them', () => {
    const text = generateDockerfile(400);
    const previous = analyzeDockerfile(text);
    const at = text.indexOf('npm ci', text.length >> 1);
    const edited = text.slice(0, at) + 'x' + text.slice(at);
    const model = buildModel(parseDockerfile(edited, { previous: previous.ast }), { previous });
    const kept = model.stages.filter((stage) => previous.stages.includes(stage)).length;
    assert.ok(kept > 0 && kept < model.stages.length, `${kept} of ${model.stages.length} stages taken as they are`);
    // Generated stages copy from stage0: its users among the stages built again are found too.
    const users = (each: DockerfileModel) => each.stages[0]!.usedBy.map((use) => `${use.kind} ${use.user.index}`);
    assert.deepEqual(users(model), users(analyzeDockerfile(edited)));
    assert.ok(users(model).length > kept, users(model).join(', '));
  });
});
