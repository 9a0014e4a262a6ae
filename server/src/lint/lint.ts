import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { findHadolintConfig } from '../config/configFiles';
import { readDockerignore } from '../config/dockerignore';
import { applyHadolintConfig, parseHadolintConfig, type FailureThreshold, type ParsedConfig } from '../config/hadolintConfig';
import { DEFAULT_LINT_SETTINGS, type LintSettings } from '../rules/settings';
import { getLanguageService } from '../service/languageService';
import { shellCheckAvailable } from '../shellcheck/shellcheck';
import { expandLintPaths, type LintLanguage, type LintTarget } from './files';

export type FindingSeverity = 'error' | 'warning' | 'info' | 'hint';

/** One finding, 1-based positions: the shape of `berth lint --format json`. */
export interface LintFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: FindingSeverity;
  code: string;
  message: string;
  source: string;
}

export interface LintOptions {
  /** `--config FILE`: used for every file instead of looking one up. */
  configPath?: string;
  /** `--ignore CODE`, on top of the config's `ignored`. */
  ignore?: string[];
  /** `--no-shellcheck`. */
  shellcheck?: boolean;
  /** `--lang`: lint only this kind of file (files given by name too); by default both, each file as its name says. */
  language?: LintLanguage;
  readStdin: () => string;
}

export interface LintReport {
  findings: LintFinding[];
  /** What each linted file was read as (by its path as given), for the formats that describe the rules. */
  languages: ReadonlyMap<string, LintLanguage>;
  /** The config's failure-threshold, when one applied and set it. */
  failureThreshold?: FailureThreshold;
}

export class LintInputError extends Error {}

const SEVERITY_NAMES: Record<number, FindingSeverity> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

const service = getLanguageService({
  files: {
    readFile: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
    exists: (path) => existsSync(path),
  },
  environment: process.env,
});

let shellCheckInstalled: boolean | undefined;

export function lintText(text: string, file: string, settings: LintSettings = DEFAULT_LINT_SETTINGS, language: LintLanguage = 'dockerfile'): LintFinding[] {
  const uri = file === '-' ? 'untitled:stdin' : pathToFileURL(resolve(file)).href;
  const document = TextDocument.create(uri, language === 'compose' ? 'dockercompose' : 'dockerfile', 0, text);
  const diagnostics = service.validate(document, settings);
  if (language === 'dockerfile' && settings.shellcheck && (shellCheckInstalled ??= shellCheckAvailable())) {
    // On the model `validate` just made: the file is parsed once.
    diagnostics.push(...service.shellCheckSync(document, settings));
    diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }
  // Each file is read once: nothing of it is worth keeping for the next.
  service.forget(uri);
  return diagnostics.map((diagnostic) => ({
    file,
    line: diagnostic.range.start.line + 1,
    column: diagnostic.range.start.character + 1,
    endLine: diagnostic.range.end.line + 1,
    endColumn: diagnostic.range.end.character + 1,
    severity: SEVERITY_NAMES[diagnostic.severity ?? DiagnosticSeverity.Error]!,
    code: String(diagnostic.code ?? ''),
    message: diagnostic.message,
    source: diagnostic.source ?? 'berth',
  }));
}

/**
 * Lints files and directories, each with the .hadolint.yaml that applies to it.
 * Throws LintInputError naming a file it cannot read; a broken config is
 * reported as findings in that config file, and its valid parts still apply.
 */
export function lintPaths(paths: string[], options: LintOptions): LintReport {
  let targets: LintTarget[];
  try {
    targets = expandLintPaths(paths, options.language);
  } catch (error) {
    throw new LintInputError(describeReadError(error));
  }
  const configs = new Map<string, ParsedConfig>();
  const findings: LintFinding[] = [];
  let failureThreshold: FailureThreshold | undefined;

  const loadConfig = (path: string): ParsedConfig => {
    let parsed = configs.get(path);
    if (!parsed) {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        throw new LintInputError(describeReadError(error));
      }
      parsed = parseHadolintConfig(text);
      configs.set(path, parsed);
      const document = TextDocument.create(pathToFileURL(resolve(path)).href, 'yaml', 0, text);
      for (const problem of parsed.problems) {
        const start = document.positionAt(problem.range.start);
        const end = document.positionAt(problem.range.end);
        findings.push({ file: path, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1, severity: problem.severity, code: 'hadolint-config', message: problem.message, source: 'berth' });
      }
    }
    return parsed;
  };

  const languages = new Map<string, LintLanguage>();
  for (const { path: file, language } of targets) {
    languages.set(file, language);
    let text: string;
    try {
      text = file === '-' ? options.readStdin() : readFileSync(file, 'utf8');
    } catch (error) {
      throw new LintInputError(describeReadError(error));
    }
    // .hadolint.yaml is for Dockerfiles (codes such as invalid-port exist on both sides with other meanings).
    const configPath = language === 'compose' ? undefined : (options.configPath ?? findHadolintConfig(file === '-' ? resolve('Dockerfile') : file));
    let settings = DEFAULT_LINT_SETTINGS;
    if (configPath) {
      const { config } = loadConfig(configPath);
      settings = applyHadolintConfig(settings, config);
      failureThreshold ??= config.failureThreshold;
    }
    if (options.ignore?.length) settings = { ...settings, ignored: new Set([...settings.ignored, ...options.ignore]) };
    if (options.shellcheck === false) settings = { ...settings, shellcheck: false };
    const dockerignore = file === '-' ? undefined : readDockerignore(file);
    if (dockerignore) settings = { ...settings, dockerignore };
    findings.push(...lintText(text, file, settings, language));
  }
  return { findings, languages, ...(failureThreshold ? { failureThreshold } : {}) };
}

function describeReadError(error: unknown): string {
  const failure = error as NodeJS.ErrnoException;
  if (failure.code === 'ENOENT') return `${failure.path}: no such file or directory`;
  if (failure.code === 'EACCES') return `${failure.path}: permission denied`;
  if (failure.code === 'EISDIR') return `${failure.path}: is a directory`;
  return failure.message;
}
