/** Helpers shared by the compose checks. */

import type { ComposeCheck, ComposeCheckContext, ComposeCheckFinding } from '../check';
import { locationOf } from '../model';
import { get, stringValue } from '../tree';
import type { ComposeNode, Severity } from '../types';
import { MemoSlot } from '../memo';

/** A check that reports the loader's findings with one code (syntax, duplicate keys, interpolation…). */
export function loaderFindings(context: ComposeCheckContext, code: string, report: (finding: ComposeCheckFinding) => void): void {
  for (const finding of context.project.findings) if (finding.code === code) report({ file: finding.file, range: finding.range, message: finding.message });
}

/** A finding at a node. */
export function at(node: ComposeNode, message: string): ComposeCheckFinding {
  return { ...locationOf(node), message };
}

/** True for build contexts and files compose fetches rather than reads from disk (URLs, git). */
export function isRemote(path: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(path) || path.startsWith('git@') || path.startsWith('github.com/') || /\.git(?:#.*)?$/.test(path);
}

export interface BuildContext {
  build: ComposeNode;
  node: ComposeNode | undefined;
  value: string;
}

/**
 * Build contexts per service node, read by several checks: the merged nodes
 * of services an edit did not touch are the same from one version to the
 * next, so after a keystroke only the edited service is read again.
 */
const buildContexts = new MemoSlot<Readonly<BuildContext>>();

/** The build context of a service: the node giving it (undefined when defaulted to `.`) and its value. Shared: not to be changed. */
export function buildContext(service: ComposeNode | undefined): Readonly<BuildContext> | undefined {
  return service ? buildContexts.cached(service, readBuildContext) : undefined;
}

function readBuildContext(service: ComposeNode): BuildContext | undefined {
  const build = get(service, 'build');
  if (!build) return undefined;
  if (build.kind === 'scalar') {
    const value = stringValue(build);
    return value === undefined ? undefined : { build, node: build, value };
  }
  if (build.kind !== 'map') return undefined;
  const node = get(build, 'context');
  const value = stringValue(node);
  return { build, node: value === undefined ? undefined : node, value: value ?? '.' };
}

/** Checks with their severity narrowed for the literal types in each file. */
export function defineCheck<T extends ComposeCheck & { severity: Severity }>(check: T): ComposeCheck {
  return check;
}
