import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver-types';
import { checkComposeProject, loadComposeProject, projectFilesFor, type ComposeFinding, type ComposeHost, type ParsedComposeFile, type Severity } from '../compose';
import { composeDocsUrl } from '../rules/docs';
import type { LintSettings } from '../rules/settings';
import { parseComposeFileCached } from '../compose/parseCache';
import { isSuppressed, readComposePragmas } from './composePragmas';
import { environmentSnapshot } from './compose/composeDocuments';

/** How compose checks see files other than the document: the editor's open buffers, then the disk. */
export interface ComposeFileSystem {
  readFile(path: string): string | undefined;
  exists(path: string): boolean;
}

/** A compose document with its parse (shared with the editing features for this text version). */
export interface ComposeSource {
  path: string;
  text: string;
  parsed: ParsedComposeFile;
  /** Reads the document itself from `text`, other files from the editor or the disk. */
  host: ComposeHost;
}

/** What a compose diagnostic carries in `data`, for quick fixes. */
export interface ComposeDiagnosticData {
  /** A did-you-mean (a misspelled key or value): replace `range` with `text`. */
  suggestion?: { text: string; range: Range };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  style: DiagnosticSeverity.Hint,
};

/**
 * Everything Berth finds in the project of one compose document (its override
 * file, includes and extends; schema and semantic checks), as LSP diagnostics
 * per file URI: every compose file of the project is there (possibly with
 * none, so that a caller can clear what it showed before), and other files
 * such as `.env` when something was found in them. Honours the settings
 * (`ignored` codes are not even checked; severity overrides) and each file's
 * `# berth ignore=` / `# berth global ignore=` pragmas.
 */
export function composeProjectDiagnostics(
  documentUri: string,
  source: ComposeSource,
  environment: Readonly<Record<string, string | undefined>>,
  settings: LintSettings,
): Map<string, Diagnostic[]> {
  const { path, text, parsed, host } = source;
  const project = loadComposeProject({
    files: projectFilesFor(path, (candidate) => host.exists?.(candidate) ?? host.readFile(candidate) !== undefined),
    host,
    environment: environmentSnapshot(environment),
    projectDirectory: dirname(path),
    parse: (candidate, candidateText) => (candidate === path && candidateText === text ? parsed : parseComposeFileCached(candidate, candidateText)),
  });
  const { byFile } = checkComposeProject(project, { severities: severitiesOf(settings) });

  const result = new Map<string, Diagnostic[]>([[documentUri, []]]);
  for (const [file, findings] of byFile) {
    const fileText = file === path ? text : (project.files.get(file)?.parsed.text ?? project.envFiles.find((env) => env.path === file)?.text);
    if (fileText === undefined) continue;
    const uri = file === path ? documentUri : fileUri(file);
    const pragmas = settings.disableIgnorePragma ? undefined : readComposePragmas(fileText, project.files.get(file)?.parsed);
    const kept = pragmas ? findings.filter((finding) => !isSuppressed(pragmas, finding.code, finding.range.start)) : findings;
    if (kept.length === 0 && uri !== documentUri) continue;
    result.set(uri, toDiagnostics(TextDocument.create(uri, 'dockercompose', 0, fileText), kept));
  }
  for (const file of project.files.keys()) {
    const uri = file === path ? documentUri : fileUri(file);
    if (!result.has(uri)) result.set(uri, []);
  }
  return result;
}

/** The last settings' severities: the same object for the same overrides, so the checks' plan is made once (compose/check.ts). */
let lastSeverities: { overrides: LintSettings['severityOverrides']; ignored: LintSettings['ignored']; severities: Record<string, Severity | 'off'> } | undefined;

function severitiesOf(settings: LintSettings): Readonly<Record<string, Severity | 'off'>> {
  const { severityOverrides: overrides, ignored } = settings;
  if (lastSeverities?.overrides === overrides && lastSeverities.ignored === ignored) return lastSeverities.severities;
  const severities: Record<string, Severity | 'off'> = {};
  for (const [code, severity] of overrides) severities[code] = severity;
  for (const code of ignored) severities[code] = 'off';
  lastSeverities = { overrides, ignored, severities };
  return severities;
}

/** URIs of the project's other files, asked again after every keystroke in the document. */
const uris = new Map<string, string>();
const URIS_KEPT = 256;

function fileUri(path: string): string {
  let uri = uris.get(path);
  if (uri === undefined) {
    uri = pathToFileURL(path).href;
    if (uris.size >= URIS_KEPT) uris.clear();
    uris.set(path, uri);
  }
  return uri;
}

/** The diagnostics of the document itself (see composeProjectDiagnostics). */
export function composeDiagnostics(documentUri: string, source: ComposeSource, environment: Readonly<Record<string, string | undefined>>, settings: LintSettings): Diagnostic[] {
  return composeProjectDiagnostics(documentUri, source, environment, settings).get(documentUri) ?? [];
}

function toDiagnostics(document: TextDocument, findings: readonly ComposeFinding[]): Diagnostic[] {
  const range = (offsets: { start: number; end: number }): Range => ({ start: document.positionAt(offsets.start), end: document.positionAt(offsets.end) });
  return findings.map((finding) => {
    const diagnostic: Diagnostic = {
      range: range(finding.range),
      severity: SEVERITY[finding.severity] ?? DiagnosticSeverity.Warning,
      code: finding.code,
      codeDescription: { href: composeDocsUrl(finding.code) },
      source: 'berth',
      message: finding.message,
    };
    if (finding.suggestion) diagnostic.data = { suggestion: { text: finding.suggestion.text, range: range(finding.suggestion.range) } } satisfies ComposeDiagnosticData;
    return diagnostic;
  });
}
