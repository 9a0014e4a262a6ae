import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile } from '../../server/src/dockerfile';
import { DOCKERFILE_RULES } from '../../server/src/rules/dockerfile';
import { runRules } from '../../server/src/rules/runner';
import { DEFAULT_LINT_SETTINGS, type LintSettings } from '../../server/src/rules/settings';

// Seeded, so a failure names an input that reproduces. BERTH_FUZZ_ITERATIONS
// runs longer (npm run fuzz); npm test runs 10,000.
const ITERATIONS = Number(process.env.BERTH_FUZZ_ITERATIONS ?? 10_000);
const SEED = Number(process.env.BERTH_FUZZ_SEED ?? 0xbe127);

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = ['\\\n', '\n', ' ', '"', "'", '`', '$', '${', '}', '[', ']', ',', '=', '--', '<<EOF\n', '\nEOF\n', '&&', '|', ';', '#', '# hadolint ignore=DL3008\n', 'FROM ', 'RUN ', 'COPY --from=', 'AS ', 'ONBUILD ', 'apt-get install -y ', 'pip install ', 'ARG X=1\n', '\t', '\r\n', '\u00e9', '\ud83d\ude00'];

function mutate(random: () => number, text: string): string {
  let result = text;
  const edits = 1 + Math.floor(random() * 6);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (result.length + 1));
    const choice = random();
    if (choice < 0.4) result = result.slice(0, at) + FRAGMENTS[Math.floor(random() * FRAGMENTS.length)] + result.slice(at);
    else if (choice < 0.7) result = result.slice(0, at) + result.slice(at + 1 + Math.floor(random() * 8));
    else if (choice < 0.85) {
      const from = Math.floor(random() * result.length);
      result = result.slice(0, at) + result.slice(from, from + 1 + Math.floor(random() * 30)) + result.slice(at);
    } else result = result.slice(0, at) + String.fromCharCode(Math.floor(random() * 0x2fff)) + result.slice(at);
  }
  return result;
}

describe('the full rule set under random input', () => {
  const corpus = DOCKERFILE_RULES.flatMap((rule) => [...rule.examples.fire, ...rule.examples.pass]);
  // Every configuration-driven rule switched on, so all of them run.
  const settings: LintSettings = Object.assign({}, DEFAULT_LINT_SETTINGS, ...DOCKERFILE_RULES.map((rule) => rule.exampleSettings ?? {}), {
    severityOverrides: new Map(DOCKERFILE_RULES.filter((rule) => rule.enabledByDefault === false).map((rule) => [rule.id, rule.severity])),
    shellcheck: false,
  });

  it(`never throws and reports ranges inside the text on ${ITERATIONS.toLocaleString('en')} mutated Dockerfiles (seed ${SEED})`, () => {
    const random = prng(SEED);
    for (let i = 0; i < ITERATIONS; i++) {
      let text = corpus[Math.floor(random() * corpus.length)]!;
      if (random() < 0.5) text += corpus[Math.floor(random() * corpus.length)]!;
      text = mutate(random, text);
      const run = runRules(analyzeDockerfile(text), DOCKERFILE_RULES, settings);
      if (run.failures.length > 0) {
        const failure = run.failures[0]!;
        assert.fail(`${failure.code} threw on input #${i} ${JSON.stringify(text)}: ${(failure.error as Error)?.stack ?? failure.error}`);
      }
      for (const result of run.results) {
        const { start, end } = result.range;
        if (!(start >= 0 && start <= end && end <= text.length)) assert.fail(`${result.code} reported ${start}-${end} outside input #${i} (${text.length} chars): ${JSON.stringify(text)}`);
        for (const fix of result.fixes) for (const edit of fix.edits) {
          if (!(edit.range.start >= 0 && edit.range.start <= edit.range.end && edit.range.end <= text.length)) assert.fail(`${result.code}'s fix edits outside input #${i}: ${JSON.stringify(text)}`);
        }
      }
    }
  });
});
