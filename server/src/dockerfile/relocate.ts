/**
 * Copies of parsed instructions for a document where their text moved by
 * `shift` code units (an edit before them), so an incremental parse can keep
 * what it parsed before instead of parsing it again. Every document range is
 * moved; logical ranges (indices into the instruction's own logical text),
 * strings and logical-range objects are shared with the original, which nothing
 * mutates. Tokens and flags the parser puts in two places (an argument that is
 * also the FROM image, a JSON element or an ARG's key) are the same objects in
 * the copy too, and so is the range a whole-arguments token shares with its
 * instruction's `argsRange`.
 *
 * Written out field by field rather than walked generically: this runs for
 * every instruction after the edit, on every keystroke.
 */
import type { Comment, Heredoc, Instruction, InstructionFlag, KeyValuePair, ParseProblem, TextRange, Token, VariableReference } from './types';

/** Most instructions have fewer tokens and flags than this. */
const LINEAR_SEARCH = 32;

export class Relocator {
  /**
   * Tokens and flags copied so far for the current instruction: the first
   * `copied` entries (an instruction has few: a linear search beats a Map).
   * The arrays are kept from one instruction to the next; emptying them would
   * give their storage back, to be allocated again for the next instruction.
   */
  private readonly originals: object[] = [];
  private readonly copies: object[] = [];
  private copied = 0;
  /** The same once an instruction has more than `LINEAR_SEARCH` (an EXPOSE of thousands of ports), where linear searches would add up to quadratic time. */
  private many: Map<object, object> | undefined;
  /** The last instruction's `argsRange` and its copy. */
  private argsRange: TextRange | undefined;
  private argsRangeCopy: TextRange | undefined;

  constructor(private readonly shift: number) {}

  /**
   * A copy of a top-level instruction (and its trigger) with every document
   * range moved; `comments` are the comments above it as the new parse read
   * them (equal to its own, moved), taken as they are.
   */
  instruction(source: Instruction, comments: Comment[]): Instruction {
    // Tokens are shared within one instruction only: forget the last one's.
    this.copied = 0;
    this.many = undefined;
    return this.copy(source, comments);
  }

  /** The copy made of `source` for the current instruction, if any. */
  private copyOf(source: object): object | undefined {
    if (this.many) return this.many.get(source);
    const originals = this.originals;
    for (let i = 0; i < this.copied; i++) if (originals[i] === source) return this.copies[i];
    return undefined;
  }

  private remember(source: object, copy: object): void {
    if (this.many) {
      this.many.set(source, copy);
      return;
    }
    const at = this.copied++;
    if (at < this.originals.length) {
      this.originals[at] = source;
      this.copies[at] = copy;
    } else {
      this.originals.push(source);
      this.copies.push(copy);
    }
    if (this.copied > LINEAR_SEARCH) {
      this.many = new Map();
      for (let i = 0; i < this.copied; i++) this.many.set(this.originals[i]!, this.copies[i]!);
    }
  }

  private copy(source: Instruction, comments: Comment[] | undefined): Instruction {
    // A whole-arguments token shares the instruction's argsRange (instructionArgs.ts): so do their copies.
    const argsRange = source.argsRange === undefined ? undefined : this.range(source.argsRange);
    this.argsRange = source.argsRange;
    this.argsRangeCopy = argsRange;
    // Property by property: a spread of these many-shaped objects is several times slower.
    const args = source.args.length === 0 ? source.args : source.args.map((token) => this.token(token));
    const copy: Instruction = {
      name: source.name,
      keyword: source.keyword,
      keywordRange: this.range(source.keywordRange),
      known: source.known,
      range: this.range(source.range),
      logical: source.logical.shifted(this.shift),
      logicalRange: source.logicalRange,
      argsText: source.argsText,
      flags: source.flags.length === 0 ? source.flags : source.flags.map((flag) => this.flag(flag)),
      args,
      heredocs: source.heredocs.length === 0 ? source.heredocs : source.heredocs.map((heredoc) => this.heredoc(heredoc)),
      variables: source.variables.length === 0 ? source.variables : source.variables.map((reference) => this.reference(reference)),
      comments: comments ?? (source.comments.length === 0 ? source.comments : source.comments.map((comment) => this.comment(comment))),
      innerComments: source.innerComments.length === 0 ? source.innerComments : source.innerComments.map((comment) => this.comment(comment)),
      emptyContinuationLines: source.emptyContinuationLines.length === 0 ? source.emptyContinuationLines : source.emptyContinuationLines.map((range) => this.range(range)),
      // The optional fields, in the parser's order (one object shape for every instruction; a field added to Instruction needs a line here, the incremental parse test notices).
      argsRange,
      form: source.form,
      json: undefined,
      keyValues: undefined,
      keyValueForm: source.keyValueForm,
      from: undefined,
      healthcheck: undefined,
      trigger: undefined,
    };
    const json = source.json;
    if (json) {
      const elements = json.elements === source.args ? args : json.elements.map((token) => this.token(token));
      copy.json = { valid: json.valid, elements, range: this.range(json.range) };
      if (json.error !== undefined) copy.json.error = json.error;
      if (json.errorRange) copy.json.errorRange = this.range(json.errorRange);
      if (json.nonStringElement !== undefined) copy.json.nonStringElement = json.nonStringElement;
      if (json.trailing) copy.json.trailing = this.token(json.trailing);
    }
    if (source.keyValues) copy.keyValues = source.keyValues.map((pair) => this.pair(pair));
    const from = source.from;
    if (from) {
      const details: NonNullable<Instruction['from']> = {};
      if (from.platform) details.platform = this.flag(from.platform);
      if (from.image) details.image = this.token(from.image);
      if (from.imageName) details.imageName = this.token(from.imageName);
      if (from.imageTag) details.imageTag = this.token(from.imageTag);
      if (from.imageDigest) details.imageDigest = this.token(from.imageDigest);
      if (from.asKeyword) details.asKeyword = this.token(from.asKeyword);
      if (from.stageName) details.stageName = this.token(from.stageName);
      copy.from = details;
    }
    const healthcheck = source.healthcheck;
    if (healthcheck) {
      const command = healthcheck.command === source.json?.elements ? copy.json!.elements : healthcheck.command.length === 0 ? healthcheck.command : healthcheck.command.map((token) => this.token(token));
      copy.healthcheck = { command };
      if (healthcheck.type) copy.healthcheck.type = this.token(healthcheck.type);
    }
    if (source.trigger) copy.trigger = this.copy(source.trigger, undefined);
    return copy;
  }

  comment(source: Comment): Comment {
    return { text: source.text, range: this.range(source.range), insideInstruction: source.insideInstruction };
  }

  problem(source: ParseProblem): ParseProblem {
    return { code: source.code, message: source.message, range: this.range(source.range), severity: source.severity };
  }

  range(source: TextRange): TextRange {
    if (source === this.argsRange) return this.argsRangeCopy!;
    return { start: source.start + this.shift, end: source.end + this.shift };
  }

  private token(source: Token): Token {
    const known = this.copyOf(source);
    if (known) return known as Token;
    const copy: Token = { value: source.value, range: this.range(source.range), logicalRange: source.logicalRange };
    this.remember(source, copy);
    return copy;
  }

  private flag(source: InstructionFlag): InstructionFlag {
    const known = this.copyOf(source);
    if (known) return known as InstructionFlag;
    const copy: InstructionFlag = { name: source.name, range: this.range(source.range), logicalRange: source.logicalRange, nameRange: this.range(source.nameRange) };
    if (source.value !== undefined) copy.value = source.value;
    if (source.rawValue !== undefined) copy.rawValue = source.rawValue;
    if (source.valueRange) copy.valueRange = this.range(source.valueRange);
    if (source.valueLogicalRange) copy.valueLogicalRange = source.valueLogicalRange;
    this.remember(source, copy);
    return copy;
  }

  private heredoc(source: Heredoc): Heredoc {
    const copy: Heredoc = {
      name: source.name,
      marker: this.token(source.marker),
      nameRange: this.range(source.nameRange),
      stripLeadingTabs: source.stripLeadingTabs,
      quoted: source.quoted,
      bodyRange: this.range(source.bodyRange),
      content: source.content,
    };
    if (source.fileDescriptor !== undefined) copy.fileDescriptor = source.fileDescriptor;
    if (source.terminatorRange) copy.terminatorRange = this.range(source.terminatorRange);
    return copy;
  }

  private reference(source: VariableReference): VariableReference {
    const copy: VariableReference = {
      name: source.name,
      nameRange: this.range(source.nameRange),
      range: this.range(source.range),
      braced: source.braced,
      depth: source.depth,
      expandedBy: source.expandedBy,
    };
    if (source.modifier !== undefined) copy.modifier = source.modifier;
    if (source.modifierRange) copy.modifierRange = this.range(source.modifierRange);
    if (source.operand) copy.operand = { text: source.operand.text, range: this.range(source.operand.range) };
    if (source.malformed !== undefined) copy.malformed = source.malformed;
    return copy;
  }

  private pair(source: KeyValuePair): KeyValuePair {
    const copy: KeyValuePair = { key: this.token(source.key), range: this.range(source.range), logicalRange: source.logicalRange };
    if (source.value) copy.value = this.token(source.value);
    return copy;
  }
}
