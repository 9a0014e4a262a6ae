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

/**
 * The environment a language service was given, as a Map read once per
 * object: the server passes `process.env`, whose every variable is read
 * through a slow accessor (tens of microseconds for the whole of it), which
 * each keystroke used to pay. A changed environment is a new object.
 */
export function environmentSnapshot(environment: Readonly<Record<string, string | undefined>>): ReadonlyMap<string, string> {
  let snapshot = snapshots.get(environment);
  if (!snapshot) {
    const variables = new Map<string, string>();
    for (const [key, value] of Object.entries(environment)) if (typeof value === 'string') variables.set(key, value);
    // Callers without an environment pass a new empty object each time.
    if (variables.size === 0) return NO_VARIABLES;
    snapshots.set(environment, (snapshot = variables));
  }
  return snapshot;
}

const NO_VARIABLES: ReadonlyMap<string, string> = new Map();

// Keyed by long-lived objects (a service's environment), so a WeakMap costs the garbage collector nothing here (compose/memo.ts).
const snapshots = new WeakMap<object, ReadonlyMap<string, string>>();

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
  private readonly contexts = new Map<string, DocumentContext>();

  constructor(
    private readonly files: ComposeFileSystem | undefined,
    private readonly environment: Readonly<Record<string, string | undefined>>,
  ) {}

  get(document: TextDocument): ComposeDocumentContext {
    const text = document.getText();
    const cached = this.contexts.get(document.uri);
    if (cached && cached.version === document.version && cached.text === text) return cached;
    // The URI's path, as the last version had it: it is asked for after every keystroke.
    const path = cached ? cached.path : composeDocumentPath(document);
    const context = new DocumentContext(path, text, document.version, cached?.nextBase(), this.files, this.environment);
    this.contexts.set(document.uri, context);
    return context;
  }

  forget(uri: string): void {
    this.contexts.delete(uri);
  }
}

/**
 * One version's context: a class rather than an object of closures, made
 * after every keystroke, so that each version is a few objects of one shape.
 */
class DocumentContext implements ComposeDocumentContext {
  private parse: ParsedComposeFile | undefined;
  private loaded: ComposeProject | undefined;
  private outlined: ComposeProject | undefined;
  readonly host: DocumentHost;

  constructor(
    readonly path: string,
    readonly text: string,
    readonly version: number,
    /**
     * The latest parse that can be built on: only what the edit touched is read
     * again. It is consumed by that (compose/parse.ts), which is safe as this
     * context replaces the one it came from, which is never handed out again.
     */
    private base: ParsedComposeFile | undefined,
    files: ComposeFileSystem | undefined,
    private readonly environment: Readonly<Record<string, string | undefined>>,
  ) {
    this.host = new DocumentHost(path, text, files);
  }

  // Parsed on first use: completion of a key or value right after a keystroke reads only the lines around the cursor.
  get parsed(): ParsedComposeFile {
    let parse = this.parse;
    if (parse === undefined) {
      parse = this.parse = parseComposeFile(this.text, this.path, this.base);
      // The next version is read from this parse: the last one's tree, all but what it shares with this one, is garbage
      // now rather than a version later (a 1,000-service tree kept that long outlives two scavenges and is promoted).
      if (canReparseFrom(parse)) this.base = undefined;
    }
    return parse;
  }

  project(): ComposeProject {
    return (this.loaded ??= this.load(false));
  }

  outline(): ComposeProject {
    return (this.outlined ??= this.loaded ?? this.load(true));
  }

  /** What the next version is read from; a version that had to be read in full (a syntax error while typing) leaves the base to the next one. */
  nextBase(): ParsedComposeFile | undefined {
    const parsed = this.parse;
    const base = this.base;
    // Dropped: this context is replaced by the next version's, which takes the base over.
    this.base = undefined;
    return parsed && canReparseFrom(parsed) ? parsed : base && canReparseFrom(base) ? base : parsed;
  }

  private load(outline: boolean): ComposeProject {
    const path = this.path;
    return loadComposeProject({
      files: projectFilesFor(path, (candidate) => this.host.exists(candidate)),
      host: this.host,
      environment: environmentSnapshot(this.environment),
      projectDirectory: dirname(path),
      // The document's own parse is reused; other files are parsed as the loader reads them, once per text.
      parse: (candidate, candidateText) => {
        const parsed = candidate === path && candidateText === this.text ? this.parsed : parseComposeFileCached(candidate, candidateText);
        return outline ? composeOutline(parsed) : parsed;
      },
    });
  }
}

/** The document itself from its text, other files from the editor or the disk. */
class DocumentHost implements ComposeHost {
  constructor(
    private readonly path: string,
    private readonly text: string,
    private readonly files: ComposeFileSystem | undefined,
  ) {}

  readFile(candidate: string): string | undefined {
    return candidate === this.path ? this.text : this.files?.readFile(candidate);
  }

  exists(candidate: string): boolean {
    return candidate === this.path || (this.files?.exists(candidate) ?? false);
  }
}
