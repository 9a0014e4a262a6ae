import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { findHadolintConfig } from '../config/configFiles';
import { readDockerignore } from '../config/dockerignore';
import { applyHadolintConfig, parseHadolintConfig, type ParsedConfig } from '../config/hadolintConfig';
import { DEFAULT_LINT_SETTINGS, type LintSettings } from '../rules/settings';
import { SEVERITIES, type Severity } from '../rules/types';

/** `berth.dockerfile.*` as the client sends it. */
export interface EditorDockerfileSettings {
  /** Per code: a severity, or `off`. */
  rules?: Record<string, string>;
  /** Read .hadolint.yaml files. */
  hadolintConfig?: boolean;
  /** Check RUN scripts with ShellCheck. */
  shellcheck?: boolean;
}

/** `berth.compose.*` as the client sends it. */
export interface EditorComposeSettings {
  /** Codes never reported in compose files. */
  ignore?: unknown;
}

/**
 * Works out the LintSettings for each document: its .hadolint.yaml (found
 * upward from the file, within its workspace folder) under the editor's
 * settings. Config files are read once and re-read when they change.
 */
export class DocumentSettings {
  private editor: EditorDockerfileSettings = {};
  private composeIgnored: ReadonlySet<string> = new Set();
  private workspaceFolders: string[] = [];
  private readonly configs = new Map<string, ParsedConfig & { text: string }>();
  private readonly configPathByDirectory = new Map<string, string | undefined>();
  private readonly dockerignoreByDockerfile = new Map<string, string[] | undefined>();

  setEditorSettings(settings: EditorDockerfileSettings | undefined): void {
    this.editor = settings ?? {};
  }

  setComposeSettings(settings: EditorComposeSettings | undefined): void {
    const ignore = settings?.ignore;
    this.composeIgnored = new Set(Array.isArray(ignore) ? ignore.filter((code): code is string => typeof code === 'string' && code.trim() !== '').map((code) => code.trim()) : []);
  }

  /**
   * The settings of a compose document: `berth.compose.ignore`. Neither
   * .hadolint.yaml nor `berth.dockerfile.rules` apply (some codes, such as
   * `invalid-port`, exist on both sides with different meanings).
   */
  composeSettingsFor(_uri: string): LintSettings {
    return { ...DEFAULT_LINT_SETTINGS, ignored: this.composeIgnored };
  }

  setWorkspaceFolders(uris: string[]): void {
    this.workspaceFolders = uris.filter((uri) => uri.startsWith('file:')).map((uri) => fileURLToPath(uri));
    this.configPathByDirectory.clear();
  }

  /** A .hadolint.yaml or .dockerignore was created, changed or deleted somewhere. */
  configFilesChanged(): void {
    this.configs.clear();
    this.configPathByDirectory.clear();
    this.dockerignoreByDockerfile.clear();
  }

  /** The config file that applies to a document, if any. */
  configPathFor(uri: string): string | undefined {
    if (this.editor.hadolintConfig === false || !uri.startsWith('file:')) return undefined;
    const path = fileURLToPath(uri);
    const directory = dirname(path);
    if (!this.configPathByDirectory.has(directory)) {
      const folder = this.workspaceFolders.filter((candidate) => path.startsWith(candidate + '/')).sort((a, b) => b.length - a.length)[0];
      this.configPathByDirectory.set(directory, findHadolintConfig(path, folder ? { stopAt: folder, cwd: folder } : {}));
    }
    return this.configPathByDirectory.get(directory);
  }

  settingsFor(uri: string): LintSettings {
    let settings = DEFAULT_LINT_SETTINGS;
    const configPath = this.configPathFor(uri);
    if (configPath) settings = applyHadolintConfig(settings, this.config(configPath).config);
    const ignored = new Set(settings.ignored);
    const severityOverrides = new Map(settings.severityOverrides);
    for (const [code, level] of Object.entries(this.editor.rules ?? {})) {
      if (level === 'off') ignored.add(code);
      else if (SEVERITIES.includes(level as Severity)) severityOverrides.set(code, level as Severity);
    }
    return { ...settings, ignored, severityOverrides, shellcheck: this.editor.shellcheck ?? settings.shellcheck, dockerignore: this.dockerignoreFor(uri) };
  }

  private dockerignoreFor(uri: string): string[] | undefined {
    if (!uri.startsWith('file:')) return undefined;
    const path = fileURLToPath(uri);
    if (!this.dockerignoreByDockerfile.has(path)) this.dockerignoreByDockerfile.set(path, readDockerignore(path));
    return this.dockerignoreByDockerfile.get(path);
  }

  /** Problems of a config file as diagnostics in that file. */
  configDiagnostics(path: string): { uri: string; diagnostics: Diagnostic[] } {
    const { problems, text } = this.config(path);
    const document = TextDocument.create(pathToFileURL(path).href, 'yaml', 0, text);
    return {
      uri: document.uri,
      diagnostics: problems.map((problem) => ({
        range: { start: document.positionAt(problem.range.start), end: document.positionAt(problem.range.end) },
        severity: problem.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
        code: 'hadolint-config',
        source: 'berth',
        message: problem.message,
      })),
    };
  }

  private config(path: string): ParsedConfig & { text: string } {
    let config = this.configs.get(path);
    if (!config) {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        text = '';
        config = { config: {}, problems: [{ message: `cannot read ${path}: ${(error as Error).message}`, range: { start: 0, end: 0 }, severity: 'error' }], text };
      }
      config ??= { ...parseHadolintConfig(text), text };
      this.configs.set(path, config);
    }
    return config;
  }
}
