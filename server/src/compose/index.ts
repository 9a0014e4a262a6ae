/**
 * The compose library: recognition of compose files, parsing with ranges,
 * interpolation, `.env` files, the merged project model (several files,
 * `include`, `extends`) and the semantic checks. Pure: files are read through
 * an injected host, no `vscode`, never throws.
 *
 * Typical use (LSP or CLI):
 *
 *   const files = projectFilesFor(path, exists);               // compose.yaml + compose.override.yaml
 *   const { project, byFile } = analyzeCompose({ files, host: { readFile, exists }, environment: process.env });
 *   byFile.get(path)                                            // findings in that file
 */

import { runComposeChecks, type ComposeCheck, type ComposeCheckOptions, type ComposeCheckResult } from './check';
import { COMPOSE_CHECKS } from './checks';
import { loadComposeProject, type ComposeProject, type LoadComposeProjectOptions } from './project';

export type { AnchorMark, ComposeFinding, ComposeMap, ComposeNode, ComposePair, ComposeScalar, ComposeSeq, ScalarStyle, ScalarValue, Severity, TextRange } from './types';
export { isComposeFileName, composeFileMatcher, matchesGlob, globToRegExp, projectFilesFor, baseName, DEFAULT_COMPOSE_FILES, DEFAULT_OVERRIDE_FILES } from './fileNames';
export { parseComposeFile, type ComposeDocument, type ParsedComposeFile } from './parse';
export { substitute, interpolateTree, type EnvLookup, type TemplateError, type TemplateResult, type InterpolationOptions } from './interpolation';
export { parseEnvFile, type EnvEntry, type EnvFile, type EnvFileProblem } from './dotenv';
export { mergeNodes, normalizeLayer } from './merge';
export {
  loadComposeProject,
  normalizeProjectName,
  type ComposeHost,
  type ComposeProject,
  type LoadComposeProjectOptions,
  type LoadedComposeFile,
  type LoadedEnvFile,
  type IncludeRecord,
  type ExtendsRecord,
  type EnvFileReference,
  type FileRole,
} from './project';
export {
  servicesOf,
  declaredNames,
  serviceReferences,
  resourceReferences,
  resourceDefinition,
  valueRange,
  profilesOf,
  canRunTogether,
  type Location,
  type ServiceInfo,
  type ServiceReference,
  type ServiceReferenceKind,
  type ResourceReference,
  type ResourceKind,
} from './model';
export { get, getPair, getPath, stringValue, knownString, numberValue, booleanValue, itemsOf, toJS } from './tree';
export { parsePortSpec, parsePortRange, isIP, type PortMapping, type PortRange } from './ports';
export { parseVolumeSpec, isHostPath, type VolumeSpec } from './volumes';
export { pathText } from './yaml/builder';
export {
  runComposeChecks,
  checkContext,
  memoryHost,
  loadExample,
  EXAMPLE_ROOT,
  type ComposeCheck,
  type ComposeCheckContext,
  type ComposeCheckFinding,
  type ComposeCheckOptions,
  type ComposeCheckResult,
  type ComposeExample,
  type ComposeProjectExample,
} from './check';
export { COMPOSE_CHECKS };

/** Runs every compose check (or `options.checks`) over a loaded project; findings come back per file. */
export function checkComposeProject(project: ComposeProject, options: ComposeCheckOptions = {}): ComposeCheckResult {
  return runComposeChecks(project, options.checks ?? COMPOSE_CHECKS, options);
}

/** Loads a project and checks it in one call. */
export function analyzeCompose(options: LoadComposeProjectOptions & ComposeCheckOptions): ComposeCheckResult & { project: ComposeProject } {
  const project = loadComposeProject(options);
  return { project, ...checkComposeProject(project, options) };
}

/** The check with a code, if any. */
export function composeCheck(code: string): ComposeCheck | undefined {
  return COMPOSE_CHECKS.find((check) => check.id === code);
}
