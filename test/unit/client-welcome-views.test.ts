// The welcome texts of the Berth views (package.json `viewsWelcome`): an empty
// Containers, Images, Volumes or Networks view always says why, in one text,
// whatever state the daemon and engine are in and whether a filter is on.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifest, repoRoot } from '../support/paths';

interface Contributes {
  commands: { command: string }[];
  viewsWelcome: { view: string; contents: string; when?: string }[];
}

const contributes = (manifest as unknown as { contributes: Contributes }).contributes;

/** The words RuntimeState.summary() sets `berth.runtime` to, read from its declared return type. */
function runtimeStates(): string[] {
  const source = readFileSync(join(repoRoot, 'client', 'src', 'runtime', 'runtimeState.ts'), 'utf8');
  const union = /summary\(\): ([^{]+)\{/.exec(source)?.[1];
  assert.ok(union, 'RuntimeState.summary() declares the words it returns');
  return [...union.matchAll(/'(\w+)'/g)].map((match) => match[1]!);
}

/** A `when` clause of `||` and `&&` over `key`, `!key`, `key == value`, `key != value` (what these clauses use). */
function holds(when: string | undefined, context: Record<string, string | boolean | undefined>): boolean {
  if (!when) return true;
  assert.doesNotMatch(when, /[()]/, `no parentheses in "${when}" (this reader does not handle them)`);
  return when.split('||').some((all) =>
    all.split('&&').every((raw) => {
      const term = raw.trim();
      const compared = /^([\w.]+)\s*(==|!=)\s*([\w.]+)$/.exec(term);
      if (compared) return (String(context[compared[1]!]) === compared[3]) === (compared[2] === '==');
      if (term.startsWith('!')) return !context[term.slice(1).trim()];
      assert.match(term, /^[\w.]+$/, `a term this reader understands: "${term}"`);
      return Boolean(context[term]);
    }),
  );
}

describe('the welcome texts of empty Berth views', () => {
  const views = [
    { view: 'berth.containers', filter: 'berth.containers.filter.active', clear: 'berth.containers.clearFilter' },
    { view: 'berth.images', filter: 'berth.images.filter.active', clear: 'berth.images.clearFilter' },
    { view: 'berth.volumes' },
    { view: 'berth.networks' },
  ];
  const states = [undefined, ...runtimeStates()];
  const shown = (view: string, context: Record<string, string | boolean | undefined>) => contributes.viewsWelcome.filter((entry) => entry.view === view && holds(entry.when, context));

  it('reads the states the client can be in', () => {
    assert.ok(states.includes('ready') && states.includes('unreachable') && states.includes('daemonFailed'), states.join(', '));
  });

  it('give each empty view exactly one text in every state, with and without a filter', () => {
    const problems: string[] = [];
    for (const { view, filter } of views)
      for (const runtime of states)
        for (const filtered of filter ? [false, true] : [false]) {
          const texts = shown(view, { 'berth.runtime': runtime, ...(filter ? { [filter]: filtered } : {}) });
          if (texts.length !== 1) problems.push(`${view}, berth.runtime=${runtime}${filtered ? ', filtered' : ''}: ${texts.length} texts`);
        }
    assert.deepEqual(problems, []);
  });

  it('send the user to the Engines view, where each engine’s reason is, when no engine is reachable', () => {
    for (const { view } of views) {
      const [text] = shown(view, { 'berth.runtime': 'unreachable' });
      assert.match(text?.contents ?? '', /No container engine is reachable.*Engines view/s, view);
    }
  });

  it('say that the filter hides everything, with a link that clears it, rather than that there is nothing', () => {
    for (const { view, filter, clear } of views) {
      if (!filter) continue;
      const [text] = shown(view, { 'berth.runtime': 'ready', [filter]: true });
      assert.match(text?.contents ?? '', /filter/i, view);
      assert.ok(text?.contents.includes(`(command:${clear})`), `${view}: a link to ${clear}`);
    }
  });

  it('link only commands the extension contributes', () => {
    const known = new Set(contributes.commands.map((entry) => entry.command));
    const links = contributes.viewsWelcome.flatMap((entry) => [...entry.contents.matchAll(/\(command:([\w.]+)\)/g)].map((match) => match[1]!));
    assert.ok(links.length > 0);
    assert.deepEqual(
      links.filter((command) => !known.has(command)),
      [],
    );
  });
});
