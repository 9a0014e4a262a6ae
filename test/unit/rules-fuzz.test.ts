import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile } from '../../server/src/dockerfile';
import { DOCKERFILE_RULES } from '../../server/src/rules/dockerfile';
import { runRules } from '../../server/src/rules/runner';
import { DEFAULT_LINT_SETTINGS, type LintSettings } from '../../server/src/rules/settings';
import { copyUpTo, fuzzIterations, fuzzSeed, insertCodeUnitBelow, insertOneOf, mutator, pick, prng, removeUpTo } from '../support/fuzz';

// Seeded, so a failure names an input that reproduces. BERTH_FUZZ_ITERATIONS
// runs longer (npm run fuzz); npm test runs 10,000.
const ITERATIONS = fuzzIterations(10_000);
const SEED = fuzzSeed(0xbe127);

const FRAGMENTS = ['\\\n', '\n', ' ', '"', "'", '`', '$', '${', '}', '[', ']', ',', '=', '--', '<<EOF\n', '\nEOF\n', '&&', '|', ';', '#', '# hadolint ignore=DL3008\n', 'FROM ', 'RUN ', 'COPY --from=', 'AS ', 'ONBUILD ', 'apt-get install -y ', 'pip install ', 'ARG X=1\n', '\t', '\r\n', '\u00e9', '\ud83d\ude00'];

const mutate = mutator(6, [
  [0.4, insertOneOf(FRAGMENTS)],
  [0.7, removeUpTo(8)],
  [0.85, copyUpTo(30)],
  [1, insertCodeUnitBelow(0x2fff)],
]);

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
      let text = pick(random, corpus);
      if (random() < 0.5) text += pick(random, corpus);
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
