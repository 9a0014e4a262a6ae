/**
 * Shapes of the Dockerfile syntax tree produced by `parseDockerfile`.
 *
 * Ranges: every range is a half-open pair of UTF-16 code-unit offsets into the
 * parsed text (`text.slice(range.start, range.end)` is the token as written).
 * Offsets are the primary representation because they are the cheapest to
 * produce and compare; convert to LSP `{ line, character }` positions with
 * `LineIndex` (see lineIndex.ts), which is also available as `ast.lineIndex`.
 *
 * Logical text: Docker joins continuation lines (dropping the escape character,
 * skipped comment lines and empty lines) into one logical line before it splits
 * an instruction into words. Token values are taken from that logical text, so
 * `value` can differ from the source slice when a token spans a continuation.
 * Each instruction keeps its `LogicalLine`, which maps logical indices back to
 * document offsets, so callers can compute exact ranges for sub-parts of a token.
 */

import type { LineIndex } from './lineIndex';
import type { LogicalLine } from './logicalLine';

/** Half-open document range [start, end) in UTF-16 code units. */
export interface TextRange {
  start: number;
  end: number;
}

/** A piece of an instruction: its value as Docker sees it plus where it is. */
export interface Token {
  /**
   * Text of the token in the logical line (continuations removed, quotes and
   * escapes kept). For strings of a JSON exec form this is the decoded string.
   */
  value: string;
  /** Document range of the token as written (may span continuation lines). */
  range: TextRange;
  /** Indices into the owning instruction's `logical.text`. */
  logicalRange: TextRange;
}

/** `--name` or `--name=value` at the start of an instruction's arguments. */
export interface InstructionFlag {
  /** Flag name without the leading `--`, quotes and backslash escapes processed. */
  name: string;
  /** Whole flag word including `--`. */
  range: TextRange;
  logicalRange: TextRange;
  /** Range of the name part (after `--`, before `=`). */
  nameRange: TextRange;
  /** Value with quotes and backslash escapes processed; undefined without `=`. */
  value?: string;
  /** The value as written (quotes kept); undefined without `=`. */
  rawValue?: string;
  /** Range of the value as written (after `=`); may be empty. */
  valueRange?: TextRange;
  valueLogicalRange?: TextRange;
}

/** Result of reading arguments that start with `[` as a JSON array. */
export interface JsonArrayArgs {
  /** True when Docker uses the exec form: a well-formed JSON array of strings. */
  valid: boolean;
  /** Decoded string elements read so far (all of them when valid). */
  elements: Token[];
  /** From `[` to the closing `]` (or to the end of the arguments when malformed). */
  range: TextRange;
  /** Why the text is not a usable JSON array. */
  error?: string;
  /** Where reading stopped, for malformed JSON. */
  errorRange?: TextRange;
  /** The array is well-formed JSON but holds a non-string (Docker rejects this). */
  nonStringElement?: boolean;
  /**
   * Text after the closing `]` of an otherwise complete array. It makes the JSON
   * invalid (`valid` is false), so Docker uses the shell form.
   */
  trailing?: Token;
}

/** A here-document attached to RUN, COPY or ADD (`<<EOF`, `<<-EOF`, `<<"EOF"`). */
export interface Heredoc {
  /** Delimiter word after quote removal (the terminator line must equal it). */
  name: string;
  /** The whole `<<EOF` word in the instruction line. */
  marker: Token;
  /** The delimiter as written inside the marker (quotes included). */
  nameRange: TextRange;
  /** File descriptor prefix as in `3<<EOF`, when present. */
  fileDescriptor?: number;
  /** `<<-`: leading tabs are stripped from body lines and the terminator. */
  stripLeadingTabs: boolean;
  /** The delimiter was quoted, so Docker does not expand variables in the body. */
  quoted: boolean;
  /** From the first body line up to the start of the terminator line (or EOF). */
  bodyRange: TextRange;
  /** Body text as Docker passes it on (line endings kept, tabs stripped for `<<-`). */
  content: string;
  /** The terminator line; undefined when the heredoc is unterminated. */
  terminatorRange?: TextRange;
}

/**
 * `${NAME:-word}` style modifiers, as written. Malformed references may carry
 * other text (e.g. `!` or `:x`), flagged by `VariableReference.malformed`.
 */
export type VariableModifier =
  | '-' | ':-' | '+' | ':+' | '?' | ':?'
  | '#' | '##' | '%' | '%%' | ':#' | ':%' | ':##' | ':%%'
  | '/' | '//'
  | (string & {});

/** Who expands a variable reference: Docker while building, or the shell at run time. */
export type ExpansionContext = 'builder' | 'shell';

/** A `$NAME` or `${NAME...}` reference found in text that gets expanded. */
export interface VariableReference {
  name: string;
  /** The name only. */
  nameRange: TextRange;
  /** From `$` to the closing `}` (or end of the name for `$NAME`). */
  range: TextRange;
  braced: boolean;
  modifier?: VariableModifier;
  modifierRange?: TextRange;
  /** Text after the modifier up to the closing `}` (word, pattern or pattern/replacement), as written. */
  operand?: { text: string; range: TextRange };
  /** Syntax error inside the reference (missing `}`, bad substitution, unsupported modifier). */
  malformed?: string;
  /** 0 for top-level references, >0 for references nested in another one's operand. */
  depth: number;
  expandedBy: ExpansionContext;
}

/** A `# ...` comment line. */
export interface Comment {
  /** Text after `#`, trimmed (as BuildKit records it). */
  text: string;
  /** From `#` to the end of the line content. */
  range: TextRange;
  /** The comment sits between continuation lines of an instruction (Docker skips it). */
  insideInstruction: boolean;
}

/** `# syntax=`, `# escape=` or `# check=` at the top of the file. */
export interface ParserDirective {
  /** Lower-cased name: 'syntax' | 'escape' | 'check'. */
  name: string;
  /** Name as written. */
  rawName: string;
  nameRange: TextRange;
  value: string;
  valueRange: TextRange;
  /** From `#` to the end of the line content. */
  range: TextRange;
  /**
   * False when Docker ignores this directive: a repeated directive, or an
   * escape directive after a `#!` line (see directives.ts).
   */
  active: boolean;
}

export type ParseProblemCode =
  | 'invalid-escape-directive'
  | 'duplicate-directive'
  | 'unterminated-heredoc'
  | 'invalid-heredoc'
  | 'json-not-string-array'
  | 'missing-equals'
  | 'missing-value'
  | 'onbuild-too-deep'
  | 'internal-error';

/** A problem Docker's parser itself reports (lint findings are produced elsewhere). */
export interface ParseProblem {
  code: ParseProblemCode;
  message: string;
  range: TextRange;
  severity: 'error' | 'warning';
}

/** `key=value`, legacy `ENV key value`, or a bare `ARG name`. */
export interface KeyValuePair {
  key: Token;
  /** Undefined for `ARG name` without a default (or a malformed pair). */
  value?: Token;
  /** The whole pair (the word, or key through value for the legacy form). */
  range: TextRange;
  logicalRange: TextRange;
}

export interface FromDetails {
  /** The image reference word (may contain variables). */
  image?: Token;
  /** Repository part of the image reference. */
  imageName?: Token;
  /** Tag after `:` (not counting a registry port). */
  imageTag?: Token;
  /** Digest after `@`. */
  imageDigest?: Token;
  /** The `AS` keyword with its original casing. */
  asKeyword?: Token;
  stageName?: Token;
  /** The `--platform` flag, if given. */
  platform?: InstructionFlag;
}

export interface HealthcheckDetails {
  /** `CMD` or `NONE` (as written). */
  type?: Token;
  /** Command tokens after the type: exec-form elements or one shell-form string. */
  command: Token[];
}

export interface Instruction {
  /**
   * Keyword upper-cased (ASCII), e.g. 'RUN'; unknown keywords are kept too.
   * Empty only for a logical line with no text at all (a lone escape
   * character continued into nothing), which Docker also keeps as an
   * (invalid) instruction.
   */
  name: string;
  /** Keyword as written. */
  keyword: string;
  keywordRange: TextRange;
  /** Whether the keyword is a Dockerfile instruction Docker knows. */
  known: boolean;
  /** Whole instruction: keyword to end of the last line, heredoc bodies included. */
  range: TextRange;
  /** The joined logical line this instruction was parsed from. */
  logical: LogicalLine;
  /** Keyword through end of arguments, as indices into `logical.text`. */
  logicalRange: TextRange;
  /** Arguments after the flags, trimmed, in logical text. */
  argsText: string;
  /** Document range of the arguments after the flags; undefined when there are none. */
  argsRange?: TextRange;
  flags: InstructionFlag[];
  /**
   * Arguments split as Docker splits them for this instruction: one string for
   * shell-form RUN/CMD/ENTRYPOINT/SHELL and USER/WORKDIR/MAINTAINER/STOPSIGNAL,
   * whitespace-separated words for FROM/EXPOSE/COPY/ADD/VOLUME, quote-aware
   * words for ENV/LABEL/ARG, decoded strings for a JSON exec form.
   */
  args: Token[];
  /** For instructions that accept a JSON array (RUN, CMD, ENTRYPOINT, SHELL, COPY, ADD, VOLUME, HEALTHCHECK). */
  form?: 'exec' | 'shell';
  /** Present whenever the arguments start with `[` (valid or not). */
  json?: JsonArrayArgs;
  heredocs: Heredoc[];
  /** Variable references in the parts of the instruction that get expanded. */
  variables: VariableReference[];
  /** Comments before the instruction, as BuildKit attaches them (directives excluded). */
  comments: Comment[];
  /** Comment lines between this instruction's continuation lines. */
  innerComments: Comment[];
  /** Empty or whitespace-only lines between continuation lines (BuildKit warns about these). */
  emptyContinuationLines: TextRange[];
  /** ENV, LABEL and ARG. */
  keyValues?: KeyValuePair[];
  /** ENV/LABEL: `key=value` or the legacy `key value`; ARG is always 'equals'. */
  keyValueForm?: 'equals' | 'legacy';
  from?: FromDetails;
  healthcheck?: HealthcheckDetails;
  /** ONBUILD: the trigger instruction, parsed with its own ranges. */
  trigger?: Instruction;
}

export interface DockerfileAst {
  text: string;
  /** Escape character in effect (`\` unless an `# escape=` directive says otherwise). */
  escapeChar: '\\' | '`';
  directives: ParserDirective[];
  instructions: Instruction[];
  /** Every comment line (directives excluded), in document order. */
  comments: Comment[];
  problems: ParseProblem[];
  /** Offset <-> line/character conversion for `text`. */
  lineIndex: LineIndex;
}

export interface ParseOptions {
  /** Recognise heredocs in RUN/COPY/ADD (Dockerfile syntax 1.4+). Default true. */
  heredocs?: boolean;
  /**
   * The tree of an earlier version of the same document (parsed with the same
   * options). Instructions whose text, and the comments above them, did not
   * change are taken from it instead of being parsed again (copied with their
   * offsets moved when the edit came before them). The result is the same as
   * without it; only faster after a small edit.
   */
  previous?: DockerfileAst;
}
