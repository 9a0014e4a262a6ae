/**
 * Completion for Dockerfiles: a pure function over (document, model, position).
 *
 * The cursor is first placed in the parsed model (`locateCursor`): inside an
 * instruction (as an index into its joined logical line, so continuation lines
 * work), inside a here-document body, or on a line of its own (a new
 * instruction, a comment, or a parser directive at the top). The words before
 * the cursor then decide what is offered: instruction keywords, flags and their
 * values, `--mount` options, stage names, images known to the engine, ARG/ENV
 * variables in scope, directive values.
 *
 * Every item carries a `textEdit` whose range is exactly the word (or the part
 * of a word, such as a tag after `:` or a `--mount` field) being typed, on the
 * cursor's line. Work is proportional to the current instruction (and to what is
 * offered); what is needed of the whole file (keyword casing, the first FROM) is
 * gathered once per model.
 */

import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  MarkupKind,
  type Command,
  type CompletionItem,
  type CompletionList,
  type Position,
  type Range,
} from 'vscode-languageserver-types';
import type { DockerfileModel, Heredoc, Instruction, Stage, VariableBinding } from '../dockerfile';
import { DOCKERFILE_RULES } from '../rules/dockerfile';
import {
  HEALTHCHECK_TYPES,
  INSTRUCTIONS,
  MOUNT_OPTIONS,
  MOUNT_TYPES,
  PARSER_DIRECTIVES,
  type FlagDoc,
  type InstructionDoc,
} from './instructionDocs';

/** An image known to the local engine, as the client sends it in the `berth/knownImages` notification. */
export interface KnownImage {
  /** `alpine`, `ghcr.io/org/app`, `localhost:5000/app`; `<none>` entries are ignored. */
  repository: string;
  tags: string[];
  id: string;
  /** Bytes. */
  size: number;
  /** ISO 8601 date. */
  created: string;
  /** `80/tcp`, ... */
  exposedPorts: string[];
}

export interface DockerfileCompletionOptions {
  /** The client accepts snippets (`InsertTextFormat.Snippet`). Default true. */
  snippetSupport?: boolean;
}

/** Characters the adapter should register as completion triggers. */
export const COMPLETION_TRIGGER_CHARACTERS = [' ', '$', '{', '=', ':', ',', '-', '#'];

const RETRIGGER: Command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

/**
 * Reads the `berth/knownImages` notification's parameters (`{ images: [...] }`
 * or a bare array), keeping only well-formed entries. Never throws.
 */
export function parseKnownImages(params: unknown): KnownImage[] {
  const list = Array.isArray(params)
    ? params
    : params !== null && typeof params === 'object' && Array.isArray((params as { images?: unknown }).images)
      ? ((params as { images: unknown[] }).images)
      : [];
  const result: KnownImage[] = [];
  for (const entry of list) {
    if (entry === null || typeof entry !== 'object') continue;
    const raw = entry as Record<string, unknown>;
    if (typeof raw.repository !== 'string' || raw.repository === '') continue;
    const strings = (value: unknown): string[] =>
      Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
    result.push({
      repository: raw.repository,
      tags: strings(raw.tags),
      id: typeof raw.id === 'string' ? raw.id : '',
      size: typeof raw.size === 'number' && Number.isFinite(raw.size) ? raw.size : 0,
      created: typeof raw.created === 'string' ? raw.created : '',
      exposedPorts: strings(raw.exposedPorts),
    });
  }
  return result;
}

// ---------------------------------------------------------------------------
// Locating the cursor (shared with signature help)

/** Where a document offset falls in the parsed Dockerfile. */
export type CursorLocation =
  | {
      kind: 'instruction';
      /** The top-level instruction (the one the model knows). */
      instruction: Instruction;
      /** Index into `instruction.logical.text`: how many logical characters precede the cursor. */
      cursor: number;
      /**
       * The cursor is separated from the logical text before it by text Docker
       * drops (an escape character and line break, a blank continuation line):
       * what is typed there starts a new word.
       */
      gap: boolean;
    }
  | { kind: 'heredoc'; instruction: Instruction; heredoc: Heredoc }
  | { kind: 'comment' }
  /** A line that belongs to no instruction (blank, or before an instruction's keyword). */
  | { kind: 'line' };

/** Binary search: the last instruction starting at or before `offset`. */
export function instructionBefore(model: DockerfileModel, offset: number): Instruction | undefined {
  const list = model.ast.instructions;
  let low = 0;
  let high = list.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (list[mid].range.start <= offset) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found >= 0 ? list[found] : undefined;
}

/** The instruction whose text holds the heredocs (the trigger for `ONBUILD RUN <<EOF`). */
function heredocOwner(instruction: Instruction): Instruction {
  return instruction.heredocs.length === 0 && instruction.trigger ? heredocOwner(instruction.trigger) : instruction;
}

/** Number of logical characters whose document offset is before `offset`. */
function logicalIndexAt(instruction: Instruction, offset: number): number {
  const logical = instruction.logical;
  let low = 0;
  let high = logical.text.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (logical.sourceOffset(mid) < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The instruction's last physical piece ends with a line continuation (so a following blank line still belongs to it). */
function continuesPastEnd(model: DockerfileModel, instruction: Instruction): boolean {
  const end = instruction.logical.sourceEnd(instruction.logical.text.length);
  return model.ast.text[end] === model.ast.escapeChar;
}

export function locateCursor(model: DockerfileModel, offset: number): CursorLocation {
  const text = model.ast.text;
  const instruction = instructionBefore(model, offset);
  if (!instruction) return { kind: lineIsComment(text, offset) ? 'comment' : 'line' };
  const owner = heredocOwner(instruction);
  for (const heredoc of owner.heredocs) {
    const end = heredoc.terminatorRange ? heredoc.terminatorRange.start : heredoc.bodyRange.end;
    if (offset >= heredoc.bodyRange.start && offset <= end) return { kind: 'heredoc', instruction, heredoc };
    if (heredoc.terminatorRange && offset > heredoc.terminatorRange.start && offset <= heredoc.terminatorRange.end) {
      return { kind: 'comment' };
    }
  }
  for (const comment of instruction.innerComments) {
    if (offset > comment.range.start && offset <= comment.range.end) return { kind: 'comment' };
  }
  const logicalEnd = instruction.logical.sourceEnd(instruction.logical.text.length);
  if (offset <= Math.max(logicalEnd, instruction.keywordRange.end)) {
    const cursor = logicalIndexAt(instruction, offset);
    const before = cursor > 0 ? instruction.logical.sourceEnd(cursor) : instruction.keywordRange.start;
    return { kind: 'instruction', instruction, cursor, gap: before !== offset };
  }
  if (owner.heredocs.length === 0 && continuesPastEnd(model, instruction)) {
    if (lineIsComment(text, offset)) return { kind: 'comment' };
    return { kind: 'instruction', instruction, cursor: instruction.logical.text.length, gap: true };
  }
  return { kind: lineIsComment(text, offset) ? 'comment' : 'line' };
}

function lineStartOf(text: string, offset: number): number {
  let start = Math.min(Math.max(offset, 0), text.length);
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  return start;
}

function lineIsComment(text: string, offset: number): boolean {
  const start = lineStartOf(text, offset);
  let i = start;
  while (i < offset && (text[i] === ' ' || text[i] === '\t')) i++;
  return i < offset && text[i] === '#';
}

/** A word of an instruction's logical text: [start, end). */
export interface Word {
  start: number;
  end: number;
}

function isSpace(char: string | undefined): boolean {
  return char === ' ' || char === '\t' || char === '\n' || char === '\r' || char === '\f' || char === '\v' || char === '\u00a0';
}

/** Whitespace-separated words of `text[from, to)`, quotes grouping and the escape character escaping. */
export function splitWords(text: string, from: number, to: number, escapeChar: string): Word[] {
  const words: Word[] = [];
  let i = from;
  while (i < to) {
    while (i < to && isSpace(text[i])) i++;
    if (i >= to) break;
    const start = i;
    let quote = '';
    while (i < to) {
      const char = text[i];
      if (quote) {
        if (char === quote) quote = '';
        else if (char === escapeChar && quote === '"' && i + 1 < to) i++;
      } else if (char === '"' || char === "'") {
        quote = char;
      } else if (char === escapeChar && i + 1 < to) {
        i++;
      } else if (isSpace(char)) {
        break;
      }
      i++;
    }
    words.push({ start, end: Math.min(i, to) });
  }
  return words;
}

/** The words of an instruction up to the cursor, split into flags, arguments and the word being typed. */
export interface ArgumentCursor {
  instruction: Instruction;
  /** Logical index of the end of the keyword. */
  keywordEnd: number;
  /** Completed words before the current one. */
  before: Word[];
  /** Completed words that are flags (a prefix of `before`). */
  flags: Word[];
  /** Completed argument words (after the flags). */
  args: Word[];
  /** The word being typed; empty (start === end === cursor) after whitespace. */
  current: Word;
  /** The current word sits where a flag may still be written. */
  inFlagRegion: boolean;
}

export function argumentCursor(instruction: Instruction, cursor: number, gap: boolean, escapeChar: string): ArgumentCursor {
  const text = instruction.logical.text;
  const keywordEnd = instruction.logicalRange.start + instruction.keyword.length;
  const words = splitWords(text, keywordEnd, cursor, escapeChar);
  let current: Word = { start: cursor, end: cursor };
  const last = words[words.length - 1];
  if (last && last.end === cursor && !gap && !isSpace(text[cursor - 1])) {
    current = last;
    words.pop();
  }
  let flagCount = 0;
  while (flagCount < words.length) {
    const word = text.slice(words[flagCount].start, words[flagCount].end);
    if (!word.startsWith('--') || word === '--') break;
    flagCount++;
  }
  const terminated = flagCount < words.length && text.slice(words[flagCount].start, words[flagCount].end) === '--';
  return {
    instruction,
    keywordEnd,
    before: words,
    flags: words.slice(0, flagCount),
    args: words.slice(terminated ? flagCount + 1 : flagCount),
    current,
    inFlagRegion: flagCount === words.length,
  };
}

// ---------------------------------------------------------------------------
// Completion

interface Request {
  document: TextDocument;
  model: DockerfileModel;
  text: string;
  offset: number;
  /** Document offset of the start of the cursor's line. */
  lineStart: number;
  images: readonly KnownImage[];
  snippets: boolean;
  items: CompletionItem[];
}

export function dockerfileCompletion(
  document: TextDocument,
  model: DockerfileModel,
  position: Position,
  images: readonly KnownImage[] = [],
  options: DockerfileCompletionOptions = {},
): CompletionList {
  const text = model.ast.text;
  const offset = Math.min(document.offsetAt(position), text.length);
  const request: Request = {
    document,
    model,
    text,
    offset,
    lineStart: lineStartOf(text, offset),
    // Checked here too: the list comes from the client.
    images: parseKnownImages(images),
    snippets: options.snippetSupport !== false,
    items: [],
  };
  const location = locateCursor(model, offset);
  switch (location.kind) {
    case 'instruction':
      completeInInstruction(request, location.instruction, location.instruction, location.cursor, location.gap);
      break;
    case 'heredoc':
      completeVariableInLine(request, location.instruction);
      break;
    case 'comment':
      if (inDirectiveSection(request)) completeDirective(request);
      break;
    case 'line':
      completeOnEmptyLine(request);
      break;
  }
  return { isIncomplete: false, items: request.items };
}

function rangeOf(request: Request, start: number, end: number): Range {
  const from = Math.max(request.lineStart, Math.min(start, request.offset));
  const to = Math.max(request.offset, end);
  return { start: request.document.positionAt(from), end: request.document.positionAt(to) };
}

/** Offset after the characters from `offset` on the cursor's line that satisfy `accept`. */
function extendRight(request: Request, accept: (char: string) => boolean): number {
  let end = request.offset;
  const text = request.text;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r' && accept(text[end])) end++;
  return end;
}

const notSpace = (char: string) => !isSpace(char);

/** A space or tab follows `offset` on its line (so inserting a keyword needs no space of its own). */
function spaceAt(request: Request, offset: number): boolean {
  const char = request.text[offset];
  return char === ' ' || char === '\t';
}
const isNameChar = (char: string) => /[A-Za-z0-9_]/.test(char);

function add(request: Request, item: CompletionItem): void {
  request.items.push(item);
}

function markdown(value: string) {
  return { kind: MarkupKind.Markdown, value };
}

// ---- instructions ------------------------------------------------------------

function completeInInstruction(request: Request, outer: Instruction, instruction: Instruction, cursor: number, gap: boolean): void {
  const keywordStart = instruction.logicalRange.start;
  const keywordEnd = keywordStart + instruction.keyword.length;
  // On the keyword (a keyword continued onto a blank line is followed by a new word instead).
  if (cursor < keywordEnd || (cursor === keywordEnd && !gap)) {
    if (cursor < keywordStart) return;
    const typed = instruction.logical.text.slice(keywordStart, cursor);
    offerKeywords(request, {
      range: { start: instruction.keywordRange.start, end: extendRight(request, notSpace) },
      lower: keywordsLowercase(request, outer, typed),
      beforeFirstFrom: beforeFirstFrom(request, outer),
      afterOnbuild: outer !== instruction,
      hasArguments: instruction.logicalRange.end > keywordEnd,
    });
    return;
  }
  if (instruction.name === 'ONBUILD') {
    const trigger = instruction.trigger;
    if (trigger && cursor >= trigger.logicalRange.start) {
      completeInInstruction(request, outer, trigger, cursor, gap);
      return;
    }
    offerKeywords(request, {
      range: { start: request.offset, end: request.offset },
      lower: keywordsLowercase(request, undefined, ''),
      beforeFirstFrom: false,
      afterOnbuild: true,
      hasArguments: trigger !== undefined,
    });
    return;
  }
  const escapeChar = request.model.ast.escapeChar;
  const at = argumentCursor(instruction, cursor, gap, escapeChar);
  const text = instruction.logical.text;
  const word = text.slice(at.current.start, cursor);
  const wordStart = request.offset - word.length;
  const doc = Object.hasOwn(INSTRUCTIONS, instruction.name) ? INSTRUCTIONS[instruction.name] : undefined;

  if (at.inFlagRegion && word.startsWith('-') && doc) {
    completeFlag(request, outer, instruction, at, word, wordStart, doc);
    return;
  }
  if (completeVariable(request, outer, word)) return;
  completeArgument(request, outer, instruction, at, word, wordStart);
}

/**
 * Keywords are offered in the case the file already uses (most of its other
 * instructions), or, in a file without any, in the case being typed.
 */
function keywordsLowercase(request: Request, current: Instruction | undefined, typed: string): boolean {
  const facts = fileFacts(request.model);
  let { lower, upper } = facts;
  // The instruction being typed does not vote.
  if (current && current.known && current.keyword === current.keyword.toLowerCase()) lower--;
  else if (current && current.known && current.keyword === current.keyword.toUpperCase()) upper--;
  if (lower + upper > 0) return lower > upper;
  return typed !== '' && typed === typed.toLowerCase() && /[a-z]/.test(typed);
}

/** No FROM starts before `current` (only ARG may come there, so FROM and ARG are offered first). */
function beforeFirstFrom(request: Request, current: Instruction | undefined): boolean {
  const [first, second] = fileFacts(request.model).firstFroms;
  const firstFrom = first === current ? second : first;
  return !firstFrom || firstFrom.range.start > (current?.range.start ?? request.offset);
}

/** What completion needs to know about the whole file, gathered once per model rather than on every request. */
interface FileFacts {
  /** Known instruction keywords written in lower case, and in upper case (top-level instructions). */
  lower: number;
  upper: number;
  /** The first two FROM instructions. */
  firstFroms: Instruction[];
}

const FILE_FACTS = new WeakMap<DockerfileModel, FileFacts>();

function fileFacts(model: DockerfileModel): FileFacts {
  let facts = FILE_FACTS.get(model);
  if (facts) return facts;
  facts = { lower: 0, upper: 0, firstFroms: [] };
  for (const instruction of model.ast.instructions) {
    if (instruction.name === 'FROM' && facts.firstFroms.length < 2) facts.firstFroms.push(instruction);
    if (!instruction.known) continue;
    if (instruction.keyword === instruction.keyword.toLowerCase()) facts.lower++;
    else if (instruction.keyword === instruction.keyword.toUpperCase()) facts.upper++;
  }
  FILE_FACTS.set(model, facts);
  return facts;
}

/** Lower-cases the Dockerfile keywords of a snippet or label. */
const KEYWORD_PATTERN = new RegExp(`\\b(${[...Object.keys(INSTRUCTIONS), 'AS', 'NONE'].join('|')})\\b`, 'g');
function applyCase(text: string, lower: boolean): string {
  return lower ? text.replace(KEYWORD_PATTERN, (keyword) => keyword.toLowerCase()) : text;
}

interface InstructionSnippet {
  label: string;
  body: string;
}

const SNIPPETS: Record<string, InstructionSnippet[]> = {
  FROM: [
    { label: 'FROM image:tag', body: 'FROM ${1:image}:${2:tag}' },
    { label: 'FROM image:tag AS name', body: 'FROM ${1:image}:${2:tag} AS ${3:name}' },
    { label: 'FROM --platform=$BUILDPLATFORM image:tag AS name', body: 'FROM --platform=${1:\\$BUILDPLATFORM} ${2:image}:${3:tag} AS ${4:name}' },
  ],
  RUN: [
    { label: 'RUN command', body: 'RUN ${1:command}' },
    { label: 'RUN --mount=type=cache,target=… command', body: 'RUN --mount=type=cache,target=${1} ${2:command}' },
    { label: 'RUN ["executable", "param"]', body: 'RUN ["${1:executable}", "${2:param}"]' },
    { label: 'RUN <<EOF … EOF', body: 'RUN <<EOF\n${1:command}\nEOF' },
  ],
  CMD: [
    { label: 'CMD ["executable", "param"]', body: 'CMD ["${1:executable}", "${2:param}"]' },
    { label: 'CMD command', body: 'CMD ${1:command}' },
  ],
  ENTRYPOINT: [
    { label: 'ENTRYPOINT ["executable", "param"]', body: 'ENTRYPOINT ["${1:executable}", "${2:param}"]' },
    { label: 'ENTRYPOINT command', body: 'ENTRYPOINT ${1:command}' },
  ],
  COPY: [
    { label: 'COPY src dest', body: 'COPY ${1:src} ${2:dest}' },
    { label: 'COPY --from=stage src dest', body: 'COPY --from=${1:stage} ${2:src} ${3:dest}' },
    { label: 'COPY --chown=user:group src dest', body: 'COPY --chown=${1:user}:${2:group} ${3:src} ${4:dest}' },
  ],
  ADD: [
    { label: 'ADD src dest', body: 'ADD ${1:src} ${2:dest}' },
    { label: 'ADD --checksum=sha256:… url dest', body: 'ADD --checksum=sha256:${1:hash} ${2:url} ${3:dest}' },
  ],
  HEALTHCHECK: [
    { label: 'HEALTHCHECK --interval=30s CMD command', body: 'HEALTHCHECK --interval=${1:30s} CMD ${2}' },
    { label: 'HEALTHCHECK NONE', body: 'HEALTHCHECK NONE' },
  ],
  ENV: [{ label: 'ENV key=value', body: 'ENV ${1:key}=${2:value}' }],
  ARG: [
    { label: 'ARG name', body: 'ARG ${1:name}' },
    { label: 'ARG name=default', body: 'ARG ${1:name}=${2:default}' },
  ],
  LABEL: [{ label: 'LABEL key=value', body: 'LABEL ${1:key}=${2:value}' }],
  EXPOSE: [
    { label: 'EXPOSE port', body: 'EXPOSE ${1:port}' },
    { label: 'EXPOSE port/protocol', body: 'EXPOSE ${1:port}/${2|tcp,udp|}' },
  ],
  USER: [
    { label: 'USER user', body: 'USER ${1:user}' },
    { label: 'USER user:group', body: 'USER ${1:user}:${2:group}' },
  ],
  WORKDIR: [{ label: 'WORKDIR /path', body: 'WORKDIR ${1:/path}' }],
  VOLUME: [
    { label: 'VOLUME ["/path"]', body: 'VOLUME ["${1:/data}"]' },
    { label: 'VOLUME /path', body: 'VOLUME ${1:/data}' },
  ],
  SHELL: [{ label: 'SHELL ["executable", "param"]', body: 'SHELL ["${1:/bin/bash}", "${2:-c}"]' }],
  STOPSIGNAL: [{ label: 'STOPSIGNAL signal', body: 'STOPSIGNAL ${1:SIGTERM}' }],
  ONBUILD: [{ label: 'ONBUILD INSTRUCTION', body: 'ONBUILD ${1:INSTRUCTION}' }],
};

const NOT_IN_ONBUILD = new Set(['ONBUILD', 'FROM', 'MAINTAINER']);

interface KeywordOptions {
  /** Document offsets of the text to replace. */
  range: { start: number; end: number };
  lower: boolean;
  beforeFirstFrom: boolean;
  afterOnbuild: boolean;
  /** The instruction already has arguments: offer bare keywords, no snippets. */
  hasArguments: boolean;
}

function offerKeywords(request: Request, options: KeywordOptions): void {
  const editRange = rangeOf(request, options.range.start, options.range.end);
  const followedBySpace = spaceAt(request, options.range.end) || options.hasArguments;
  let index = 0;
  for (const [name, doc] of Object.entries(INSTRUCTIONS)) {
    index++;
    if (options.afterOnbuild && NOT_IN_ONBUILD.has(name)) continue;
    const keyword = options.lower ? name.toLowerCase() : name;
    const group = doc.deprecated ? '3' : options.beforeFirstFrom && (name === 'FROM' || name === 'ARG') ? '0' : '1';
    const sortBase = `${group}${String(index).padStart(2, '0')}`;
    const item: CompletionItem = {
      label: keyword,
      kind: CompletionItemKind.Keyword,
      detail: doc.summary,
      documentation: markdown(doc.description),
      sortText: `${sortBase}0`,
      filterText: keyword,
      textEdit: { range: editRange, newText: followedBySpace ? keyword : `${keyword} ` },
    };
    if (!followedBySpace) item.command = RETRIGGER;
    if (doc.deprecated) item.tags = [CompletionItemTag.Deprecated];
    add(request, item);
    if (options.hasArguments || !request.snippets) continue;
    (SNIPPETS[name] ?? []).forEach((snippet, n) => {
      add(request, {
        label: applyCase(snippet.label, options.lower),
        kind: CompletionItemKind.Snippet,
        detail: doc.summary,
        documentation: markdown(doc.description),
        sortText: `${sortBase}${n + 1}`,
        filterText: keyword,
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: { range: editRange, newText: applyCase(snippet.body, options.lower) },
      });
    });
  }
}

// ---- flags -------------------------------------------------------------------

function completeFlag(
  request: Request,
  outer: Instruction,
  instruction: Instruction,
  at: ArgumentCursor,
  word: string,
  wordStart: number,
  doc: InstructionDoc,
): void {
  const equals = word.indexOf('=');
  if (equals < 0) {
    const end = extendRight(request, (char) => /[A-Za-z0-9-]/.test(char));
    const hasEquals = request.text[end] === '=';
    const text = instruction.logical.text;
    const present = new Set(
      at.flags.map((flag) => {
        const value = text.slice(flag.start + 2, flag.end);
        const eq = value.indexOf('=');
        return eq < 0 ? value : value.slice(0, eq);
      }),
    );
    const range = rangeOf(request, wordStart, end);
    for (const [name, flag] of Object.entries(doc.flags)) {
      if (present.has(name) && flag.kind !== 'strings') continue;
      const label = `--${name}`;
      const item: CompletionItem = {
        label,
        kind: CompletionItemKind.Property,
        detail: flag.kind === 'bool' ? `${instruction.name} ${label}` : `${instruction.name} ${label}=${flag.placeholder}`,
        documentation: markdown(flag.summary),
        filterText: label,
        sortText: label,
        textEdit: { range, newText: label },
      };
      if (flag.kind !== 'bool' && !hasEquals) {
        const retrigger = flag.values !== undefined || flag.valueKind === 'mount' || flag.valueKind === 'stage';
        if (retrigger || !request.snippets) {
          item.textEdit = { range, newText: `${label}=` };
          if (retrigger) item.command = RETRIGGER;
        } else {
          item.insertTextFormat = InsertTextFormat.Snippet;
          item.textEdit = { range, newText: `${label}=\${1:${flag.placeholder.replace(/^<|>$/g, '').replace(/[$}\\]/g, '\\$&')}}` };
        }
      }
      add(request, item);
    }
    return;
  }
  const name = word.slice(2, equals);
  if (!Object.hasOwn(doc.flags, name)) return;
  const flag = doc.flags[name];
  const valueStart = wordStart + equals + 1;
  const value = word.slice(equals + 1);
  if (flag.valueKind === 'mount') {
    completeMount(request, outer, instruction, at, value, valueStart);
    return;
  }
  if (flag.valueKind === 'chown' || flag.valueKind === 'chmod' || flag.valueKind === 'duration' || flag.valueKind === 'integer') {
    if (completeVariable(request, outer, value)) return;
  }
  const range = rangeOf(request, valueStart, extendRight(request, notSpace));
  if (flag.valueKind === 'platform' && /^\$\{/.test(value)) {
    completeVariable(request, outer, value);
    return;
  }
  if (flag.valueKind === 'stage') {
    completeStages(request, outer, range, false);
    return;
  }
  offerValues(request, flag.values ?? [], range, flag);
}

function offerValues(request: Request, values: readonly string[], range: Range, flag?: FlagDoc, documentation?: (value: string) => string | undefined): void {
  values.forEach((value, index) => {
    const item: CompletionItem = {
      label: value,
      kind: CompletionItemKind.Value,
      sortText: String(index).padStart(3, '0'),
      filterText: value,
      textEdit: { range, newText: value },
    };
    const doc = documentation?.(value) ?? flag?.summary;
    if (doc) item.documentation = markdown(doc);
    add(request, item);
  });
}

// ---- --mount -------------------------------------------------------------------

function completeMount(request: Request, outer: Instruction, instruction: Instruction, at: ArgumentCursor, value: string, valueStart: number): void {
  const comma = value.lastIndexOf(',');
  const field = value.slice(comma + 1);
  const fieldStart = valueStart + comma + 1;
  // The whole flag value (also after the cursor) decides the type and which options are already given.
  const flag = instruction.flags.find((candidate) => candidate.logicalRange.start === at.current.start);
  const whole = flag?.value ?? value;
  const fields = whole.split(',').map((part) => part.trim());
  const cursorField = value.split(',').length - 1;
  const typeField = fields.find((part) => part.toLowerCase().startsWith('type='));
  const type = typeField ? typeField.slice(5).toLowerCase() : 'bind';
  const typeGiven = fields.some((part, index) => index !== cursorField && part.toLowerCase().startsWith('type='));
  const equals = field.indexOf('=');
  if (equals >= 0) {
    const key = field.slice(0, equals).trim().toLowerCase();
    const fieldValue = field.slice(equals + 1);
    if (completeVariable(request, outer, fieldValue)) return;
    const range = rangeOf(request, fieldStart + equals + 1, extendRight(request, (char) => char !== ',' && notSpace(char)));
    if (key === 'type') {
      offerValues(request, Object.keys(MOUNT_TYPES), range, undefined, (name) => MOUNT_TYPES[name]?.summary);
      return;
    }
    if (key === 'from') {
      completeStages(request, outer, range, false);
      return;
    }
    const option = Object.hasOwn(MOUNT_OPTIONS, key) ? MOUNT_OPTIONS[key] : undefined;
    if (option?.values) offerValues(request, option.values, range, undefined, () => option.summary);
    return;
  }
  const end = extendRight(request, (char) => /[A-Za-z]/.test(char));
  const hasEquals = request.text[end] === '=';
  const range = rangeOf(request, fieldStart, end);
  const present = new Set<string>();
  fields.forEach((part, index) => {
    if (index === cursorField) return;
    const key = part.split('=')[0].trim().toLowerCase();
    if (key === '') return;
    present.add(key);
    const option = Object.hasOwn(MOUNT_OPTIONS, key) ? MOUNT_OPTIONS[key] : undefined;
    if (option?.aliasOf) present.add(option.aliasOf);
  });
  let index = 0;
  for (const [key, option] of Object.entries(MOUNT_OPTIONS)) {
    index++;
    if (option.aliasOf || present.has(key)) continue;
    if (key === 'type' ? typeGiven : !option.types.includes(type)) continue;
    const item: CompletionItem = {
      label: `${key}=`,
      kind: CompletionItemKind.Property,
      detail: key === 'type' ? '--mount option' : `--mount option (type=${type})`,
      documentation: markdown(option.summary),
      sortText: (key === 'type' ? '0' : '1') + String(index).padStart(2, '0'),
      filterText: key,
      textEdit: { range, newText: hasEquals ? key : `${key}=` },
    };
    if (!hasEquals && (option.values || key === 'from')) item.command = RETRIGGER;
    add(request, item);
  }
}

// ---- stages and images ------------------------------------------------------

/** Index of the stage `outer` belongs to (a FROM belongs to the stage it starts); 0 before the first FROM. */
function currentStageIndex(request: Request, outer: Instruction): number {
  return request.model.stageOf(outer)?.index ?? 0;
}

function stageLabel(stage: Stage): string {
  return stage.nameToken?.value ?? String(stage.index);
}

function completeStages(request: Request, outer: Instruction, range: Range, forFrom: boolean): void {
  const limit = currentStageIndex(request, outer);
  const stages = request.model.stages.slice(0, limit);
  for (const stage of stages) {
    // FROM refers to stages by name only; COPY --from also takes an index.
    if (forFrom && !stage.nameToken) continue;
    const label = stageLabel(stage);
    add(request, {
      label,
      kind: CompletionItemKind.Reference,
      detail: `stage ${stage.index}${stage.base.raw ? ` (FROM ${stage.base.raw})` : ''}`,
      documentation: markdown(`Build stage ${stage.nameToken ? `\`${stage.nameToken.value}\`` : stage.index}, defined on line ${request.document.positionAt(stage.from.range.start).line + 1}.`),
      sortText: `0${String(stage.index).padStart(4, '0')}`,
      filterText: label,
      textEdit: { range, newText: label },
    });
  }
  if (!forFrom) completeImageNames(request, range, '2');
}

function formatSize(bytes: number): string {
  if (!(bytes > 0)) return '';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

function imageDocumentation(image: KnownImage, tag?: string): string {
  const lines = [`**${image.repository}${tag ? `:${tag}` : ''}** (local image)`];
  if (image.id) lines.push(`- id: \`${image.id.replace(/^sha256:/, '').slice(0, 12)}\``);
  const size = formatSize(image.size);
  if (size) lines.push(`- size: ${size}`);
  if (image.created) lines.push(`- created: ${image.created}`);
  if (!tag && image.tags.length > 0) lines.push(`- tags: ${image.tags.join(', ')}`);
  if (image.exposedPorts.length > 0) lines.push(`- exposes: ${image.exposedPorts.join(', ')}`);
  return lines.join('\n');
}

function usableImages(request: Request): KnownImage[] {
  return request.images.filter(
    (image) => image && typeof image.repository === 'string' && image.repository !== '' && image.repository !== '<none>',
  );
}

function completeImageNames(request: Request, range: Range, group: string): void {
  const seen = new Map<string, KnownImage[]>();
  for (const image of usableImages(request)) {
    const list = seen.get(image.repository);
    if (list) list.push(image);
    else seen.set(image.repository, [image]);
  }
  for (const [repository, list] of seen) {
    const tags = [...new Set(list.flatMap((image) => (Array.isArray(image.tags) ? image.tags : [])))];
    add(request, {
      label: repository,
      kind: CompletionItemKind.Module,
      detail: tags.length > 0 ? `local image: ${tags.join(', ')}` : 'local image',
      documentation: markdown(list.map((image) => imageDocumentation(image)).join('\n\n')),
      sortText: `${group}${repository}`,
      filterText: repository,
      textEdit: { range, newText: repository },
    });
  }
}

/** `docker.io/library/alpine` and `alpine` name the same repository. */
function normalizeRepository(repository: string): string {
  return repository.replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '');
}

function completeImageTags(request: Request, repository: string, range: Range): void {
  const wanted = normalizeRepository(repository);
  const seen = new Set<string>();
  for (const image of usableImages(request)) {
    if (normalizeRepository(image.repository) !== wanted) continue;
    for (const tag of Array.isArray(image.tags) ? image.tags : []) {
      if (typeof tag !== 'string' || seen.has(tag)) continue;
      seen.add(tag);
      const size = formatSize(image.size);
      add(request, {
        label: tag,
        kind: CompletionItemKind.Constant,
        detail: `${image.repository}:${tag}${size ? ` (${size})` : ''}`,
        documentation: markdown(imageDocumentation(image, tag)),
        sortText: tag === 'latest' ? `1${tag}` : `0${tag}`,
        filterText: tag,
        textEdit: { range, newText: tag },
      });
    }
  }
}

// ---- variables ---------------------------------------------------------------

/**
 * `$NAME` or `${NAME` right before the cursor (the `$` not escaped): offers the
 * variables in scope at `outer`. Returns whether the word was a variable reference.
 */
function completeVariable(request: Request, outer: Instruction, before: string): boolean {
  const match = /\$(\{?)([A-Za-z_][A-Za-z0-9_]*)?$/.exec(before);
  if (!match) return false;
  const dollar = match.index;
  const escapeChar = request.model.ast.escapeChar;
  if (dollar > 0 && before[dollar - 1] === escapeChar) return false;
  const braced = match[1] === '{';
  const typedName = match[2] ?? '';
  const nameStart = request.offset - typedName.length;
  const nameEnd = extendRight(request, isNameChar);
  const closed = braced && request.text[nameEnd] === '}';
  const range = rangeOf(request, nameStart, nameEnd);
  const variables = request.model.variablesAt(outer);
  for (const [name, binding] of variables) {
    add(request, variableItem(request, name, binding, range, braced && !closed ? `${name}}` : name));
  }
  return true;
}

function variableItem(request: Request, name: string, binding: VariableBinding, range: Range, newText: string): CompletionItem {
  const where = binding.instruction
    ? `declared by ${binding.kind.toUpperCase()} on line ${request.document.positionAt(binding.instruction.range.start).line + 1}`
    : binding.inheritedFrom
      ? `inherited from stage ${stageLabel(binding.inheritedFrom)}`
      : 'predefined';
  const docs = [`**${name}** (${binding.kind === 'predefined' ? 'predefined ARG' : binding.kind.toUpperCase()}), ${where}.`];
  if (binding.predefined) docs.push(binding.predefined.description);
  if (binding.value !== undefined) docs.push(`Value: \`${binding.value}\``);
  const detail =
    binding.value !== undefined
      ? binding.value.length > 80
        ? `${binding.value.slice(0, 79)}…`
        : binding.value
      : binding.kind === 'predefined' || binding.predefined
        ? 'set by the builder'
        : binding.kind === 'arg'
          ? 'ARG (no default)'
          : 'ENV (value not known)';
  return {
    label: name,
    kind: CompletionItemKind.Variable,
    detail,
    documentation: markdown(docs.join('\n\n')),
    sortText: `${binding.kind === 'predefined' ? '1' : '0'}${name}`,
    filterText: name,
    textEdit: { range, newText },
  };
}

/** In a here-document body: variables after `$` on the cursor's line. */
function completeVariableInLine(request: Request, instruction: Instruction): void {
  completeVariable(request, instruction, request.text.slice(request.lineStart, request.offset));
}

// ---- arguments ---------------------------------------------------------------

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGKILL', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH', 'SIGSTOP'];

const OCI_LABELS: Array<[string, string]> = [
  ['org.opencontainers.image.title', 'Human-readable title of the image.'],
  ['org.opencontainers.image.description', 'Human-readable description of the software in the image.'],
  ['org.opencontainers.image.version', 'Version of the packaged software.'],
  ['org.opencontainers.image.authors', 'People or organisation responsible for the image.'],
  ['org.opencontainers.image.url', 'Where to find more information about the image.'],
  ['org.opencontainers.image.source', 'URL of the source code the image was built from.'],
  ['org.opencontainers.image.documentation', 'URL of the documentation.'],
  ['org.opencontainers.image.licenses', 'SPDX license expression of the software.'],
  ['org.opencontainers.image.vendor', 'Who distributes the image.'],
  ['org.opencontainers.image.revision', 'Source control revision the image was built from.'],
  ['org.opencontainers.image.created', 'Build date and time (RFC 3339).'],
  ['org.opencontainers.image.base.name', 'Reference of the base image.'],
];

const SHELLS = ['["/bin/bash", "-o", "pipefail", "-c"]', '["/bin/sh", "-c"]', '["/bin/ash", "-eo", "pipefail", "-c"]', '["pwsh", "-Command"]', '["cmd", "/S", "/C"]'];

function completeArgument(request: Request, outer: Instruction, instruction: Instruction, at: ArgumentCursor, word: string, wordStart: number): void {
  const argIndex = at.args.length;
  const wordRange = () => rangeOf(request, wordStart, extendRight(request, notSpace));
  const lowerKeyword = instruction.keyword !== '' && instruction.keyword === instruction.keyword.toLowerCase();
  switch (instruction.name) {
    case 'FROM': {
      if (argIndex === 0) completeFromImage(request, outer, word, wordStart);
      else if (argIndex === 1) {
        const as = lowerKeyword ? 'as' : 'AS';
        add(request, {
          label: as,
          kind: CompletionItemKind.Keyword,
          detail: 'Name this build stage',
          documentation: markdown('`AS <name>` names the stage so that later `FROM`, `COPY --from` and `RUN --mount=from=` can use it.'),
          filterText: as,
          textEdit: { range: wordRange(), newText: spaceAt(request, extendRight(request, notSpace)) ? as : `${as} ` },
        });
      }
      return;
    }
    case 'HEALTHCHECK': {
      if (argIndex !== 0) return;
      const range = wordRange();
      for (const [type, doc] of Object.entries(HEALTHCHECK_TYPES)) {
        const label = lowerKeyword ? type.toLowerCase() : type;
        add(request, {
          label,
          kind: CompletionItemKind.Keyword,
          documentation: markdown(doc.summary),
          filterText: label,
          textEdit: { range, newText: type === 'CMD' ? `${label} ` : label },
        });
      }
      return;
    }
    case 'CMD':
    case 'ENTRYPOINT':
    case 'RUN': {
      if (argIndex !== 0 || !request.snippets || (word !== '' && word !== '[')) return;
      add(request, {
        label: '["executable", "param"]',
        kind: CompletionItemKind.Snippet,
        detail: 'exec form',
        documentation: markdown('Runs the program directly, without a shell.'),
        filterText: '[',
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: { range: wordRange(), newText: '["${1:executable}", "${2:param}"]' },
      });
      return;
    }
    case 'SHELL': {
      if (argIndex !== 0 || (word !== '' && !word.startsWith('['))) return;
      offerValues(request, SHELLS, wordRange(), undefined, () => 'Shell program and arguments; the command text is appended as the last argument.');
      return;
    }
    case 'STOPSIGNAL': {
      if (argIndex === 0) offerValues(request, SIGNALS, wordRange());
      return;
    }
    case 'EXPOSE': {
      const slash = word.indexOf('/');
      if (slash < 0) return;
      offerValues(request, ['tcp', 'udp'], rangeOf(request, wordStart + slash + 1, extendRight(request, notSpace)));
      return;
    }
    case 'LABEL': {
      if (word.includes('=')) return;
      const end = extendRight(request, (char) => char !== '=' && notSpace(char));
      const hasEquals = request.text[end] === '=';
      const range = rangeOf(request, wordStart, end);
      for (const [key, description] of OCI_LABELS) {
        add(request, {
          label: key,
          kind: CompletionItemKind.Property,
          documentation: markdown(description),
          filterText: key,
          textEdit: { range, newText: hasEquals ? key : `${key}=` },
        });
      }
      return;
    }
    case 'ARG': {
      if (word.includes('=')) return;
      completeArgNames(request, outer, instruction, wordStart);
      return;
    }
    default:
      return;
  }
}

function completeFromImage(request: Request, outer: Instruction, word: string, wordStart: number): void {
  const slash = word.lastIndexOf('/');
  const colon = word.lastIndexOf(':');
  if (word.includes('@')) return;
  if (colon > slash) {
    const range = rangeOf(request, wordStart + colon + 1, extendRight(request, notSpace));
    completeImageTags(request, word.slice(0, colon), range);
    return;
  }
  const range = rangeOf(request, wordStart, extendRight(request, notSpace));
  completeStages(request, outer, range, true);
  add(request, {
    label: 'scratch',
    kind: CompletionItemKind.Keyword,
    detail: 'empty base image',
    documentation: markdown('Starts the stage from an empty file system, for static binaries and minimal images.'),
    sortText: '1scratch',
    filterText: 'scratch',
    textEdit: { range, newText: 'scratch' },
  });
  completeImageNames(request, range, '2');
}

function completeArgNames(request: Request, outer: Instruction, instruction: Instruction, wordStart: number): void {
  const end = extendRight(request, (char) => char !== '=' && notSpace(char));
  const range = rangeOf(request, wordStart, end);
  const model = request.model;
  const inStage = model.stageOf(outer) !== undefined;
  const declared = new Set((instruction.keyValues ?? []).map((pair) => pair.key.value));
  const visible = model.variablesAt(outer);
  const seen = new Set<string>();
  const offer = (name: string, detail: string, documentation: string, group: string) => {
    if (seen.has(name) || declared.has(name)) return;
    seen.add(name);
    add(request, {
      label: name,
      kind: CompletionItemKind.Variable,
      detail,
      documentation: markdown(documentation),
      sortText: `${group}${name}`,
      filterText: name,
      textEdit: { range, newText: name },
    });
  };
  if (inStage) {
    // A global ARG is visible in a stage only once redeclared there.
    for (const binding of model.globalArgs) {
      if (binding.instruction && binding.instruction.range.start > outer.range.start) continue;
      if (visible.get(binding.name)?.kind === 'arg') continue;
      offer(binding.name, binding.value ?? 'global ARG (no default)', `Redeclare the global ARG \`${binding.name}\` to use it in this stage.`, '0');
    }
    for (const binding of model.predefinedArgs) {
      if (binding.predefined?.category !== 'platform' || visible.has(binding.name)) continue;
      offer(binding.name, 'set by the builder', binding.predefined.description, '1');
    }
  }
  for (const binding of model.predefinedArgs) {
    if (binding.predefined?.category !== 'buildkit') continue;
    offer(binding.name, 'BuildKit build argument', binding.predefined.description, '2');
  }
}

// ---- lines outside instructions, parser directives -----------------------------

function completeOnEmptyLine(request: Request): void {
  const text = request.text;
  let start = request.offset;
  while (start > request.lineStart && /[A-Za-z]/.test(text[start - 1])) start--;
  for (let i = request.lineStart; i < start; i++) if (!isSpace(text[i])) return;
  const end = extendRight(request, (char) => /[A-Za-z]/.test(char));
  let rest = end;
  while (rest < text.length && text[rest] !== '\n' && text[rest] !== '\r' && isSpace(text[rest])) rest++;
  offerKeywords(request, {
    range: { start, end },
    lower: keywordsLowercase(request, undefined, text.slice(start, request.offset)),
    beforeFirstFrom: beforeFirstFrom(request, undefined),
    afterOnbuild: false,
    // More text on the line (the cursor is before an instruction's keyword): no snippets.
    hasArguments: rest < text.length && text[rest] !== '\n' && text[rest] !== '\r',
  });
  if (inDirectiveSection(request)) completeDirectiveLines(request, { start, end });
}

/** Every line above the cursor's is a parser directive (or a leading `#!` line). */
function inDirectiveSection(request: Request): boolean {
  const model = request.model;
  const cursorLine = request.document.positionAt(request.lineStart).line;
  const directiveLines = new Set(model.ast.directives.map((directive) => model.ast.lineIndex.positionAt(directive.range.start).line));
  for (let line = 0; line < cursorLine; line++) {
    if (directiveLines.has(line)) continue;
    if (line === 0 && request.text.startsWith('#!')) continue;
    return false;
  }
  return true;
}

/** Full directive lines offered on a blank line at the top of the file. */
function completeDirectiveLines(request: Request, range: { start: number; end: number }): void {
  if (range.start !== request.offset || range.end !== request.offset) return;
  const present = new Set(request.model.ast.directives.map((directive) => directive.name));
  const lines: Array<[string, string]> = [
    ['syntax', '# syntax=docker/dockerfile:1'],
    ['escape', '# escape=`'],
    ['check', '# check=skip='],
  ];
  const editRange = rangeOf(request, range.start, range.end);
  for (const [name, line] of lines) {
    if (present.has(name)) continue;
    add(request, {
      label: line,
      kind: CompletionItemKind.Keyword,
      detail: PARSER_DIRECTIVES[name].summary,
      documentation: markdown(PARSER_DIRECTIVES[name].description),
      sortText: `9${name}`,
      filterText: line,
      textEdit: { range: editRange, newText: line },
    });
  }
}

/** BuildKit check names (with Berth's rule ids that BuildKit also knows), for `# check=skip=`. */
function buildkitCheckNames(): Map<string, string> {
  const names = new Map<string, string>();
  for (const rule of DOCKERFILE_RULES) {
    if (rule.source === 'buildkit') names.set(rule.id, rule.summary);
    for (const alias of rule.aliases ?? []) if (/^[A-Z][A-Za-z]+$/.test(alias)) names.set(alias, rule.summary);
  }
  return names;
}

function completeDirective(request: Request): void {
  const text = request.text;
  const linePrefix = text.slice(request.lineStart, request.offset);
  const nameMatch = /^\s*#\s*([A-Za-z]*)$/.exec(linePrefix);
  if (nameMatch) {
    const start = request.offset - nameMatch[1].length;
    const end = extendRight(request, (char) => /[A-Za-z]/.test(char));
    const hasEquals = /^\s*=/.test(text.slice(end, end + 8));
    const range = rangeOf(request, start, end);
    const cursorLine = request.document.positionAt(request.offset).line;
    const present = new Set(
      request.model.ast.directives
        .filter((directive) => request.model.ast.lineIndex.positionAt(directive.range.start).line !== cursorLine)
        .map((directive) => directive.name),
    );
    for (const [name, doc] of Object.entries(PARSER_DIRECTIVES)) {
      if (present.has(name)) continue;
      const item: CompletionItem = {
        label: name,
        kind: CompletionItemKind.Keyword,
        detail: doc.summary,
        documentation: markdown(doc.description),
        filterText: name,
        textEdit: { range, newText: hasEquals ? name : `${name}=` },
      };
      if (!hasEquals) item.command = RETRIGGER;
      add(request, item);
    }
    return;
  }
  const valueMatch = /^\s*#\s*([A-Za-z]+)\s*=\s*(.*)$/.exec(linePrefix);
  if (!valueMatch) return;
  const name = valueMatch[1].toLowerCase();
  const value = valueMatch[2];
  const valueStart = request.offset - value.length;
  if (name === 'syntax' || name === 'escape') {
    const doc = PARSER_DIRECTIVES[name];
    offerValues(request, doc.values, rangeOf(request, valueStart, extendRight(request, notSpace)), undefined, () => doc.summary);
    return;
  }
  if (name !== 'check') return;
  const semicolon = value.lastIndexOf(';');
  const part = value.slice(semicolon + 1);
  const partStart = valueStart + semicolon + 1;
  const equals = part.indexOf('=');
  if (equals < 0) {
    const range = rangeOf(request, partStart + (part.length - part.trimStart().length), extendRight(request, (char) => /[A-Za-z]/.test(char)));
    for (const [key, description] of [
      ['skip', 'Checks to skip: names separated by commas, or `all`.'],
      ['error', 'With `true`, a failed check fails the build.'],
    ]) {
      add(request, {
        label: `${key}=`,
        kind: CompletionItemKind.Property,
        documentation: markdown(description),
        filterText: key,
        textEdit: { range, newText: `${key}=` },
        command: RETRIGGER,
      });
    }
    return;
  }
  const key = part.slice(0, equals).trim().toLowerCase();
  const afterEquals = part.slice(equals + 1);
  if (key === 'error') {
    offerValues(request, ['true', 'false'], rangeOf(request, partStart + equals + 1, extendRight(request, (char) => char !== ';' && notSpace(char))));
    return;
  }
  if (key !== 'skip') return;
  const comma = afterEquals.lastIndexOf(',');
  const range = rangeOf(request, partStart + equals + 1 + comma + 1, extendRight(request, (char) => char !== ';' && char !== ',' && notSpace(char)));
  const already = new Set(afterEquals.split(',').map((name) => name.trim()));
  const names = [...buildkitCheckNames()].sort(([a], [b]) => a.localeCompare(b));
  if (comma < 0) names.unshift(['all', 'Skip every check.']);
  for (const [check, summary] of names) {
    if (already.has(check) && check !== afterEquals.slice(comma + 1).trim()) continue;
    add(request, {
      label: check,
      kind: CompletionItemKind.EnumMember,
      documentation: markdown(summary),
      filterText: check,
      textEdit: { range, newText: check },
    });
  }
}
