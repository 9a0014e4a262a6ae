import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { COMPOSE_CHECKS } from '../../server/src/compose';
import { renderComposeCheckDoc } from '../../server/src/compose/docs';
import { analyzeDockerfile } from '../../server/src/dockerfile';
import { DOCKERFILE_RULES } from '../../server/src/rules/dockerfile';
import { renderRuleDoc } from '../../server/src/rules/docs';
import { runRules } from '../../server/src/rules/runner';
import { DEFAULT_LINT_SETTINGS, type LintSettings } from '../../server/src/rules/settings';
import { SEVERITIES } from '../../server/src/rules/types';
import { repoRoot } from '../support/paths';
// @ts-expect-error: a plain ESM build script without type declarations
import { ruleIndexText } from '../../scripts/rule-index.mjs';

const codesFor = (text: string, rules = DOCKERFILE_RULES, settings: Partial<LintSettings> = {}) => {
  const run = runRules(analyzeDockerfile(text), rules, { ...DEFAULT_LINT_SETTINGS, ...settings });
  assert.deepEqual(run.failures, [], 'no rule may throw');
  return run.results.map((result) => result.code);
};

describe('every rule', () => {
  it('has a unique code, a severity, a summary, docs and examples both ways', () => {
    const seen = new Set<string>();
    for (const rule of DOCKERFILE_RULES) {
      assert.ok(!seen.has(rule.id), `${rule.id} is defined twice`);
      seen.add(rule.id);
      assert.ok(SEVERITIES.includes(rule.severity), `${rule.id}: bad severity`);
      assert.ok(rule.summary.length > 10 && rule.docs.length > 40, `${rule.id}: summary and docs are required`);
      assert.ok(rule.examples.fire.length > 0 && rule.examples.pass.length > 0, `${rule.id}: needs should-fire and should-not-fire examples`);
    }
  });

  for (const rule of DOCKERFILE_RULES) {
    it(`${rule.id}: fires on each "fire" example and not on any "pass" example`, () => {
      for (const example of rule.examples.fire) {
        assert.ok(codesFor(example, [rule], rule.exampleSettings).includes(rule.id), `${rule.id} should fire on:\n${example}`);
      }
      for (const example of rule.examples.pass) {
        assert.ok(!codesFor(example, [rule], rule.exampleSettings).includes(rule.id), `${rule.id} should not fire on:\n${example}`);
      }
    });
  }

  it('all rules together never throw on any example', () => {
    for (const rule of DOCKERFILE_RULES) for (const example of [...rule.examples.fire, ...rule.examples.pass]) codesFor(example, DOCKERFILE_RULES, rule.exampleSettings);
  });

  it('report one problem once: two codes on the same text only for problems of their own', () => {
    // Each pair here names two different things wrong with the same words (say, a missing -y and a missing
    // cache clean-up on one yum install); any other pair on one range is one problem said twice.
    const distinct = new Set(['DL3030 DL3032', 'DL3038 DL3040', 'DL3025 invalid-json-exec-form', 'DL3043 DL4000']);
    const twice: string[] = [];
    for (const rule of DOCKERFILE_RULES) {
      for (const example of [...rule.examples.fire, ...rule.examples.pass]) {
        const run = runRules(analyzeDockerfile(example), DOCKERFILE_RULES, { ...DEFAULT_LINT_SETTINGS, ...rule.exampleSettings });
        const byRange = new Map<string, Set<string>>();
        for (const result of run.results) {
          const key = `${result.range.start}:${result.range.end}`;
          byRange.set(key, (byRange.get(key) ?? new Set()).add(result.code));
        }
        for (const codes of byRange.values()) {
          const sorted = [...codes].sort();
          for (let i = 0; i < sorted.length; i++) for (let j = i + 1; j < sorted.length; j++) if (!distinct.has(`${sorted[i]} ${sorted[j]}`)) twice.push(`${sorted[i]} and ${sorted[j]} on ${JSON.stringify(example)}`);
        }
      }
    }
    assert.deepEqual([...new Set(twice)], []);
  });

  it('have current generated docs (npm run docs) and index', () => {
    for (const rule of DOCKERFILE_RULES) {
      const path = join(repoRoot, 'docs/rules', `${rule.id}.md`);
      assert.ok(existsSync(path), `docs/rules/${rule.id}.md is missing: run npm run docs`);
      assert.equal(readFileSync(path, 'utf8'), renderRuleDoc(rule), `docs/rules/${rule.id}.md is stale: run npm run docs`);
    }
    assert.equal(readFileSync(join(repoRoot, 'server/src/rules/dockerfile/index.ts'), 'utf8'), ruleIndexText(), 'rule index is stale: run npm run build');
  });

  it('compose checks have current generated docs (npm run docs) and index, in docs/rules/compose', () => {
    const folder = join(repoRoot, 'docs/rules/compose');
    for (const check of COMPOSE_CHECKS) {
      const path = join(folder, `${check.id}.md`);
      assert.ok(existsSync(path), `docs/rules/compose/${check.id}.md is missing: run npm run docs`);
      assert.equal(readFileSync(path, 'utf8'), renderComposeCheckDoc(check), `docs/rules/compose/${check.id}.md is stale: run npm run docs`);
    }
    const pages = readdirSync(folder).filter((name) => name.endsWith('.md') && name !== 'README.md');
    assert.deepEqual(pages.sort(), COMPOSE_CHECKS.map((check) => `${check.id}.md`).sort(), 'a page without a check: run npm run docs');
    const index = readFileSync(join(folder, 'README.md'), 'utf8');
    for (const check of COMPOSE_CHECKS) assert.ok(index.includes(`[${check.id}](${check.id}.md)`), `${check.id} is missing from docs/rules/compose/README.md`);
  });
});
