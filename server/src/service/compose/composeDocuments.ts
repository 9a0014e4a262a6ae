import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { loadComposeProject, parseComposeFile, projectFilesFor, type ComposeHost, type ComposeProject, type ParsedComposeFile } from '../../compose';
import { canReparseFrom } from '../../compose/parse';
import { parseComposeFileCached } from '../../compose/parseCache';
import { composeOutline } from './projectOutline';

/** How compose features see files other than the document: the editor's open buffers, then the disk. */
export interface ComposeFileSystem {
  readFile(path: string): string | undefined;
  exists(path: string): boolean;
}

/**
 * One compose document as every compose feature sees it: its path, its parse
 * (shared by all features for a text version) and, on demand, the project it
 * belongs to (override files, includes, extends), read through the same host.
 */
export interface ComposeDocumentContext {
  /** The file's path; untitled documents get a stable path of their own. */
  path: string;
  text: string;
  /** Parsed on first use, once per text version. */
  parsed: ParsedComposeFile;
  host: ComposeHost;
  /** Loaded on first use and kept for this text version. */
  project(): ComposeProject;
  /**
   * The project loaded from outlines (projectOutline.ts): exact names, each
   * service's image, build and profiles, and the environment, loaded much
   * faster than `project()`; the other keys of services are not there.
   */
  outline(): ComposeProject;
}

export function composeDocumentPath(document: TextDocument): string {
  return document.uri.startsWith('file:') ? fileURLToPath(document.uri) : `/untitled/${document.uri.replace(/[^A-Za-z0-9._-]/g, '_')}.yaml`;
}

/**
 * A cache of compose document contexts keyed by URI and version. Other files
 * of a project can change without the document changing, so the project is
 * cached only as long as the document's text is the same object of work: a
 * new context is made for every version, and `forget` drops closed documents.
 */
export class ComposeDocuments {
  private readonly contexts = new Map<string, { version: number; text: string; context: ComposeDocumentContext; base: () => ParsedComposeFile | undefined }>();

  constructor(
    private readonly files: ComposeFileSystem | undefined,
    private readonly environment: Readonly<Record<string, string | undefined>>,
  ) {}

  get(document: TextDocument): ComposeDocumentContext {
    const text = document.getText();
    const cached = this.contexts.get(document.uri);
    if (cached && cached.version === document.version && cached.text === text) return cached.context;
    // The URI's path, as the last version had it: it is asked for after every keystroke.
    const path = cached ? cached.context.path : composeDocumentPath(document);
    // Parsed on first use: completion of a key or value right after a keystroke reads only the lines around the cursor.
    // The latest parse that can be built on is the base: only what the edit touched is read again. It is consumed
    // by that (compose/parse.ts), which is safe as its context is replaced here and never handed out again. A version
    // that had to be read in full (a syntax error while typing) leaves the base to the next one.
    const base = cached?.base();
    let parsed: ParsedComposeFile | undefined;
    const parse = (): ParsedComposeFile => (parsed ??= parseComposeFile(text, path, base));
    const files = this.files;
    const host: ComposeHost = {
      readFile: (candidate) => (candidate === path ? text : files?.readFile(candidate)),
      exists: (candidate) => candidate === path || (files?.exists(candidate) ?? false),
    };
    const load = (read: (parsed: ParsedComposeFile) => ParsedComposeFile): ComposeProject =>
      loadComposeProject({
        files: projectFilesFor(path, host.exists!),
        host,
        environment: this.environment,
        projectDirectory: dirname(path),
        // The document's own parse is reused; other files are parsed as the loader reads them, once per text.
        parse: (candidate, candidateText) => read(candidate === path && candidateText === text ? parse() : parseComposeFileCached(candidate, candidateText)),
      });
    let project: ComposeProject | undefined;
    let outline: ComposeProject | undefined;
    const context: ComposeDocumentContext = {
      path,
      text,
      get parsed() {
        return parse();
      },
      host,
      project: () => (project ??= load((parsed) => parsed)),
      outline: () => (outline ??= project ?? load(composeOutline)),
    };
    const nextBase = (): ParsedComposeFile | undefined => (parsed && canReparseFrom(parsed) ? parsed : base && canReparseFrom(base) ? base : parsed);
    this.contexts.set(document.uri, { version: document.version, text, context, base: nextBase });
    return context;
  }

  forget(uri: string): void {
    this.contexts.delete(uri);
  }
}
