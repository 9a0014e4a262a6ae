/**
 * Re-linting a document after an edit without re-checking what did not change.
 *
 * A rule made with `perInstruction` (a "local" rule, see `LocalCheck`) reports,
 * for each instruction, findings that depend only on that instruction's own
 * text and on what the *state instructions* (FROM, ARG, ENV, USER, WORKDIR,
 * SHELL) and the rules' declared `dependsOn` summaries make of the file. So
 * the linter keys what each instruction got by:
 * - its span: its lines (heredoc bodies included) and the comments and blank
 *   lines above it, the rest of the file for the last instruction; findings are
 *   stored relative to the span's start;
 * - its slot: how many state instructions (or instructions with a `dependsOn`
 *   summary) come before it;
 * and throws everything away when anything else they may depend on changes:
 * the state instructions and summaries (in order), the parser directives, the
 * settings, the rules, or which rules the file's pragmas switch off. Local
 * rules then visit only the instructions whose key is new.
 *
 * A rule made with `perStage` (see `StageCheck`) reports, for each stage,
 * findings that depend only on the stage's text and on what a local rule may
 * depend on. Its findings are kept the same way, per section (a stage, or the
 * instructions before the first FROM): keyed by the section's spans and the
 * slot of its first one, stored relative to the section's start, thrown away
 * with the local rules' findings. Stage rules visit only the sections whose
 * key is new. The other rules ("global": the whole file) run in full every
 * time, using per-instruction facts (`RuleContext.fact`) kept across versions.
 *
 * The result is, finding for finding and in the same order, what `runRules`
 * gives for the same model (test/unit/incremental.test.ts edits files at random
 * and compares).
 */
import type { DockerfileModel, Instruction, Stage } from '../dockerfile';
import { instructionLineEnds } from '../dockerfile/parser';
import { commonPrefix, commonSuffix } from '../dockerfile/textDiff';
import { FactTable, isLocalRule, isStageRule, RuleContext, type FactStore, type LocalCheck } from './context';
import { LocalPlan } from './localPlan';
import { runRules, startRun, type LintRun, type OpenRun, type RuleRun } from './runner';
import type { LintSettings } from './settings';
import type { Finding, Rule } from './types';

/** What changes the meaning of every instruction at once. */
const STATE_INSTRUCTIONS: ReadonlySet<string> = new Set(['FROM', 'ARG', 'ENV', 'USER', 'WORKDIR', 'SHELL']);

/** A finding with offsets relative to the start of its instruction's span. */
interface StoredFinding {
  /** Index of the rule in `rules`. */
  rule: number;
  start: number;
  end: number;
  message: string;
  fixes: { title: string; edits: { start: number; end: number; newText: string }[] }[] | undefined;
}

/** What is known about a stretch of text that was an instruction's span. */
interface SpanMemory {
  /** `RuleContext.fact`s of the instruction, and of its ONBUILD trigger (made when the first one is known). */
  facts: Map<string, unknown> | undefined;
  triggerFacts: Map<string, unknown> | undefined;
  /**
   * What the instruction contributes to every other instruction's assumptions:
   * its text for a state instruction, else the rules' `dependsOn` summaries
   * ('' when none has anything to say).
   */
  assumption: string | undefined;
  /** What the local rules found there (rule by rule, in report order), per slot; valid while the assumptions hold. */
  findings: StoredFinding[] | undefined;
  /** The slot `findings` are for (one is enough: an instruction rarely moves across a state instruction while the state stays the same). */
  findingsSlot: number;
  /**
   * For the first instruction of a stage (or of the instructions before the
   * first FROM): what the stage rules found in the section it started, which
   * holds while the section is made of the same spans (`members`, compared by
   * identity: a memory is only ever matched to a span with its text) at the
   * same slot, and the assumptions hold. Offsets are relative to its start.
   */
  section: { slot: number; members: SpanMemory[]; findings: StoredFinding[] } | undefined;
}

interface Span {
  instruction: Instruction;
  start: number;
  end: number;
  memory: SpanMemory;
  slot: number;
  /** What the local rules found there in this run, when they had to look again. */
  fresh: StoredFinding[] | undefined;
}

export class IncrementalLinter {
  /** Everything the stored findings assume, beyond each instruction's own span and slot (see `lint`). */
  private assumptions: readonly (string | SpanMemory)[] | undefined;
  private parseKey: string | undefined;
  /** The text of the last run and its spans' memories, matched to the next run's spans by `matchSpans`. */
  private previous: { text: string; spans: Span[] } | undefined;
  /** Whether a version was linted before: the first is linted by a plain run (see `lint`). */
  private linted = false;
  /** That plain run, until the next version: its findings are then filed per span, rather than every instruction checked again. */
  private firstRun: FirstRun | undefined;
  /** How much of the last run could be reused: instructions in the file and how many local rules had to check; the same for sections and stage rules. */
  lastRun = { instructions: 0, checked: 0, sections: 0, sectionsChecked: 0 };

  /** Which rules are local, which are stage rules, and the `dependsOn` summaries the local ones declare (fixed for the linter's rules). */
  private readonly local: readonly boolean[];
  private readonly staged: readonly boolean[];
  private readonly summaries: readonly NonNullable<LocalCheck['dependsOn']>[];

  constructor(private readonly rules: readonly Rule[]) {
    let known = RULE_KINDS.get(rules);
    if (!known) {
      known = {
        local: rules.map((rule) => isLocalRule(rule)),
        staged: rules.map((rule) => isStageRule(rule)),
        summaries: rules.flatMap((rule) => (isLocalRule(rule) && rule.local.dependsOn ? [rule.local.dependsOn] : [])),
      };
      RULE_KINDS.set(rules, known);
    }
    this.local = known.local;
    this.staged = known.staged;
    this.summaries = known.summaries;
  }

  lint(model: DockerfileModel, settings: LintSettings): LintRun {
    if (!this.linted) {
      // Most documents are linted once and never edited (opened to read, or read by `berth lint`):
      // the first version gets a plain run, and what is kept for reuse is made from the next one on.
      this.linted = true;
      const instructions = model.ast.instructions.length;
      const sections = model.stages.length + (instructions > 0 && model.ast.instructions[0] !== model.stages[0]?.from ? 1 : 0);
      this.lastRun = { instructions, checked: instructions, sections, sectionsChecked: sections };
      // What it finds is noted with where it was found (cheap: findings are few), for the first edit.
      const facts = new FactTable();
      const context = new RuleContext(model, settings, { facts });
      const found: FirstRun['found'] = [];
      const run = runRules(model, this.rules, settings, {
        context,
        observe: (rule, finding, current) => {
          if (this.local[rule] || this.staged[rule]) found.push({ rule, finding, current });
        },
      });
      this.firstRun = run.failures.length === 0 ? { model, settings, context, facts, found } : undefined;
      return run;
    }
    if (this.firstRun) {
      this.fileFirstRun(this.firstRun);
      this.firstRun = undefined;
    }
    const ast = model.ast;
    const parseKey = parseKeyOf(model);
    if (parseKey !== this.parseKey) {
      // Facts come from each instruction's parse, which the directives (the escape character) change.
      this.parseKey = parseKey;
      this.previous = undefined;
    }
    const spans = matchSpans(model, this.previous);
    const spanAt = spanFinder(spans);
    // An instruction's facts live in its span's memory (a trigger's with the ONBUILD's).
    const store: FactStore = {
      get(instruction, name) {
        const span = spanAt(instruction.range.start);
        if (!span) return undefined;
        if (span.instruction === instruction) return span.memory.facts?.get(name);
        return span.instruction.trigger === instruction ? span.memory.triggerFacts?.get(name) : undefined;
      },
      set(instruction, name, value) {
        const span = spanAt(instruction.range.start);
        if (!span) return;
        if (span.instruction === instruction) (span.memory.facts ??= new Map()).set(name, value);
        else if (span.instruction.trigger === instruction) (span.memory.triggerFacts ??= new Map()).set(name, value);
      },
    };
    const context = new RuleContext(model, settings, { facts: store });
    const run = startRun(model, settings);
    const prepared = run.prepareAll(this.rules);
    const local = this.local;
    const staged = this.staged;

    const assumptions = this.assume(spans, settings, prepared, context);
    if (!sameAssumptions(assumptions, this.assumptions)) {
      this.assumptions = assumptions;
      for (const span of spans) {
        span.memory.findings = undefined;
        span.memory.section = undefined;
      }
    }

    const dirty: Instruction[] = [];
    const dirtySpans: Span[] = [];
    for (const span of spans) {
      if (span.memory.findings && span.memory.findingsSlot === span.slot) continue;
      span.fresh = [];
      dirty.push(span.instruction);
      dirtySpans.push(span);
    }
    context.scope = dirty;
    // Stage rules look again at the sections (stages, and what comes before the first FROM) whose spans changed.
    const sections = this.sectionsOf(spans, model, prepared);
    const dirtySections: Section[] = [];
    for (const section of sections) {
      const known = spans[section.first]!.memory.section;
      if (known && known.slot === section.slot && sameMembers(known.members, spans, section)) continue;
      section.fresh = [];
      dirtySections.push(section);
    }
    this.lastRun = { instructions: spans.length, checked: dirty.length, sections: sections.length, sectionsChecked: dirtySections.length };
    let failed = false;
    // Local rules report while visiting a dirty instruction (`context.current`), in one pass over those.
    let visiting = 0;
    LocalPlan.of(this.rules).run(context, {
      enter(index) {
        visiting = index;
        return prepared[index] !== undefined;
      },
      report(finding) {
        const span = spanAt(context.current!.range.start)!;
        span.fresh!.push(toStored(visiting, finding, span.start));
      },
      fail(index, error) {
        run.fail(prepared[index]!.rule, error);
        failed = true;
      },
    });
    this.rules.forEach((rule, index) => {
      const ruleRun = prepared[index];
      if (!ruleRun || local[index]) return;
      if (staged[index]) {
        const stageCheck = rule.stage!;
        try {
          for (const section of dirtySections) {
            const fresh = section.fresh!;
            const report = (finding: Finding) => fresh.push(toStored(index, finding, section.offset));
            if (section.stage) stageCheck.visit(section.stage.instructions, section.stage, context, report);
            else if (stageCheck.preamble) stageCheck.visit(spans.slice(section.first, section.end).map((span) => span.instruction), undefined, context, report);
          }
        } catch (error) {
          run.fail(rule, error);
          failed = true;
        }
        return;
      }
      run.runPrepared(ruleRun, (report) => rule.check(context, report));
    });
    if (failed) {
      // A rule that throws stops where it throws; a full run says exactly where. Rare enough to pay for it.
      this.previous = undefined;
      this.assumptions = undefined;
      return runRules(model, this.rules, settings);
    }

    // Rule by rule, in document order, as a full run reports them.
    // A list only for the rules that found something (most find nothing in a given file).
    const byRule: ({ finding: StoredFinding; base: number }[] | undefined)[] = new Array(this.rules.length);
    const collect = (finding: StoredFinding, base: number) => (byRule[finding.rule] ??= []).push({ finding, base });
    for (const span of spans) {
      const findings = span.fresh ?? span.memory.findings!;
      for (let i = 0; i < findings.length; i++) collect(findings[i]!, span.start);
    }
    for (const section of sections) {
      const findings = section.fresh ?? spans[section.first]!.memory.section!.findings;
      for (const finding of findings) collect(finding, section.offset);
    }
    for (let index = 0; index < byRule.length; index++) {
      const findings = byRule[index];
      const ruleRun = prepared[index];
      if (findings && ruleRun) for (const { finding, base } of findings) emit(run, ruleRun, finding, base);
    }
    keepFresh(spans, dirtySpans, dirtySections);
    this.previous = { text: ast.text, spans };
    return run.finish();
  }

  /**
   * What every instruction's findings assume besides its own span: these entries,
   * in order (an instruction's slot is how many come before it). Spans kept from
   * the last run bring their entry along, so most entries compare by identity.
   * Sets each span's slot, and its memory's assumption where that is not known yet.
   */
  private assume(spans: readonly Span[], settings: LintSettings, prepared: readonly (RuleRun | undefined)[], context: RuleContext): (string | SpanMemory)[] {
    const text = context.text;
    const assumptions: (string | SpanMemory)[] = [settingsKeyOf(settings), prepared.map((each, index) => (each && (this.local[index] || this.staged[index]) ? '1' : '0')).join('')];
    const summaries = this.summaries;
    for (const span of spans) {
      const instruction = span.instruction;
      const memory = span.memory;
      span.slot = assumptions.length;
      if (memory.assumption === undefined) {
        if (STATE_INSTRUCTIONS.has(instruction.name)) {
          memory.assumption = `state ${text.slice(span.start, span.end)}`;
        } else {
          // Like a fact, a summary follows from the instruction's own text.
          let summary = '';
          summaries.forEach((summarize, index) => {
            const said = summarize(instruction, context);
            if (said !== '') summary += `${index} ${said}\u0000`;
          });
          memory.assumption = summary;
        }
      }
      if (memory.assumption !== '') assumptions.push(memory);
    }
    return assumptions;
  }

  /** The sections stage rules look at: none when no stage rule runs. */
  private sectionsOf(spans: readonly Span[], model: DockerfileModel, prepared: readonly (RuleRun | undefined)[]): Section[] {
    return this.staged.some((isStaged, index) => isStaged && prepared[index]) ? sectionsOf(spans, model) : [];
  }

  /**
   * Makes the memory a run over every instruction would have left, from the plain run of the
   * first version: its spans and their assumptions, its facts, and what its local and stage
   * rules found, filed under the span or section where each was found (`context.current`).
   */
  private fileFirstRun({ model, settings, context, facts, found }: FirstRun): void {
    this.parseKey = parseKeyOf(model);
    const spans = matchSpans(model, undefined);
    const spanAt = spanFinder(spans);
    const prepared = startRun(model, settings).prepareAll(this.rules);
    // The summaries ask facts of the plain run's context, which has every RUN's script read already.
    this.assumptions = this.assume(spans, settings, prepared, context);
    facts.forEach((instruction, name, value) => {
      const span = spanAt(instruction.range.start);
      if (span?.instruction === instruction) (span.memory.facts ??= new Map()).set(name, value);
      else if (span && span.instruction.trigger === instruction) (span.memory.triggerFacts ??= new Map()).set(name, value);
    });
    const sections = this.sectionsOf(spans, model, prepared);
    const sectionStartingWith = new Map<Instruction, Section>();
    for (const section of sections) {
      section.fresh = [];
      sectionStartingWith.set(spans[section.first]!.instruction, section);
    }
    for (const span of spans) span.fresh = [];
    for (const { rule, finding, current } of found) {
      if (this.local[rule]) {
        const span = current && spanAt(current.range.start);
        if (span?.instruction !== current) return this.forgetFirstRun(spans);
        span!.fresh!.push(toStored(rule, finding, span!.start));
      } else {
        const section = current && sectionStartingWith.get(current);
        if (!section) return this.forgetFirstRun(spans);
        section.fresh!.push(toStored(rule, finding, section.offset));
      }
    }
    keepFresh(spans, spans, sections);
    this.previous = { text: model.ast.text, spans };
  }

  /** A finding was reported outside any visit (a rule broke its contract): the next run checks everything. */
  private forgetFirstRun(spans: readonly Span[]): void {
    for (const span of spans) span.fresh = undefined;
    this.previous = undefined;
    this.assumptions = undefined;
  }
}

/** The plain run of a document's first version, and where each of its local and stage rules' findings was found. */
interface FirstRun {
  model: DockerfileModel;
  settings: LintSettings;
  context: RuleContext;
  facts: FactTable;
  found: { rule: number; finding: Finding; current: Instruction | undefined }[];
}

/** The escape character and the directives (values length-prefixed, so no two lists read alike). */
function parseKeyOf(model: DockerfileModel): string {
  let parseKey = model.ast.escapeChar;
  for (const directive of model.ast.directives) parseKey += ` ${directive.rawName} ${directive.active} ${directive.value.length}:${directive.value}`;
  return parseKey;
}

/** Stores what the local and stage rules found in the spans and sections they checked in this run. */
function keepFresh(spans: readonly Span[], dirtySpans: readonly Span[], dirtySections: readonly Section[]): void {
  for (const span of dirtySpans) {
    const findings = span.fresh!;
    span.fresh = undefined;
    // A finding outside its span cannot move with it: such an instruction is checked again next time.
    if (findings.every((finding) => inside(finding, span.end - span.start))) {
      span.memory.findings = findings;
      span.memory.findingsSlot = span.slot;
    } else {
      span.memory.findings = undefined;
    }
  }
  for (const section of dirtySections) {
    const findings = section.fresh!;
    const members = spans.slice(section.first, section.end);
    // As for spans: findings that cannot move with the section's text are looked for again next time.
    members[0]!.memory.section = findings.every((finding) => inside(finding, members.at(-1)!.end - section.offset))
      ? { slot: section.slot, members: members.map((span) => span.memory), findings }
      : undefined;
  }
}

/** Which rules of a rule list are local or stage rules, and the `dependsOn` summaries (a document's linter is made on its first lint). */
const RULE_KINDS = new WeakMap<readonly Rule[], { local: readonly boolean[]; staged: readonly boolean[]; summaries: readonly NonNullable<LocalCheck['dependsOn']>[] }>();

/** Settings as a string, so an equal settings object (a new one per request) keeps what was found. */
function settingsKeyOf(settings: LintSettings): string {
  let key = SETTINGS_KEYS.get(settings);
  if (key === undefined) {
    key = JSON.stringify([
      [...settings.ignored],
      [...settings.severityOverrides],
      settings.trustedRegistries,
      [...settings.labelSchema],
      settings.strictLabels,
      settings.disableIgnorePragma,
      settings.shellcheck,
      settings.dockerignore ?? null,
    ]);
    SETTINGS_KEYS.set(settings, key);
  }
  return key;
}

const SETTINGS_KEYS = new WeakMap<LintSettings, string>();
function sameAssumptions(a: readonly (string | SpanMemory)[], b: readonly (string | SpanMemory)[] | undefined): boolean {
  if (!b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'string' || typeof y === 'string' || x.assumption !== y.assumption) return false;
  }
  return true;
}

/**
 * Each top-level instruction with the stretch of text it owns: from where the
 * previous one's lines end to the start of the line after its own last line
 * (heredoc bodies included); the last one owns the rest of the file (an
 * unterminated heredoc body or a continuation runs to its end). Each span gets
 * the memory of the previous run's span with the same text: found by position
 * where the text did not change (before the edit, or after it, shifted), by
 * text elsewhere.
 */
function matchSpans(model: DockerfileModel, previous: { text: string; spans: Span[] } | undefined): Span[] {
  const text = model.ast.text;
  const instructions = model.ast.instructions;
  const old = previous?.spans ?? [];
  const oldText = previous?.text ?? '';
  const prefix = commonPrefix(oldText, text);
  const suffix = commonSuffix(oldText, text, Math.min(oldText.length, text.length) - prefix);
  const shift = text.length - oldText.length;
  // Old spans the edit touched, by text, for new spans in the edited stretch.
  const touched = new Map<string, SpanMemory>();
  for (const span of old) {
    if (span.end > prefix && span.start < oldText.length - suffix) touched.set(oldText.slice(span.start, span.end), span.memory);
  }
  const lineEnds = instructionLineEnds(model.ast);
  const spans: Span[] = [];
  let oldIndex = 0;
  let start = 0;
  instructions.forEach((instruction, index) => {
    const end = index === instructions.length - 1 ? text.length : (lineEnds?.[index] ?? extentEnd(instruction));
    let memory: SpanMemory | undefined;
    // Unchanged text before the edit keeps its offsets; after it, offsets move by `shift`.
    const oldStart = end <= prefix ? start : start >= text.length - suffix ? start - shift : undefined;
    if (oldStart !== undefined) {
      while (oldIndex < old.length && old[oldIndex]!.start < oldStart) oldIndex++;
      const candidate = old[oldIndex];
      if (candidate && candidate.start === oldStart && candidate.end === end - (end <= prefix ? 0 : shift)) memory = candidate.memory;
    }
    // Every field set from the start, so all memories share one shape.
    if (!memory && touched.size > 0) memory = touched.get(text.slice(start, end));
    memory ??= { facts: undefined, triggerFacts: undefined, assumption: undefined, findings: undefined, findingsSlot: 0, section: undefined };
    spans.push({ instruction, start, end, memory, slot: 0, fresh: undefined });
    start = end;
  });
  return spans;
}


/**
 * The span holding an offset (binary search: spans are in order and do not
 * overlap). Rules ask in document order, often several times running about the
 * same instruction, so the last answer is tried first.
 */
function spanFinder(spans: readonly Span[]): (offset: number) => Span | undefined {
  let last: Span | undefined;
  return (offset) => {
    if (last && offset >= last.start && offset < last.end) return last;
    let low = 0;
    let high = spans.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const span = spans[mid]!;
      if (offset < span.start) high = mid - 1;
      else if (offset >= span.end && mid < spans.length - 1) low = mid + 1;
      else return (last = span);
    }
    return undefined;
  };
}

/** The instructions of one stage, or those before the first FROM: a run of spans. */
interface Section {
  stage: Stage | undefined;
  /** Its spans: `spans[first]` up to (not including) `spans[end]`. */
  first: number;
  end: number;
  /** Its first span's slot and start. */
  slot: number;
  offset: number;
  /** What the stage rules found there in this run, when they had to look again. */
  fresh: StoredFinding[] | undefined;
}

/** The spans cut into sections: one per stage (starting at its FROM), after those before the first FROM. */
function sectionsOf(spans: readonly Span[], model: DockerfileModel): Section[] {
  const sections: Section[] = [];
  const stages = model.stages;
  let stageIndex = 0;
  let nextFrom = stages[0]?.from;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    if (i > 0 && span.instruction !== nextFrom) continue;
    const stage = span.instruction === nextFrom ? stages[stageIndex++] : undefined;
    nextFrom = stages[stageIndex]?.from;
    if (sections.length > 0) sections.at(-1)!.end = i;
    sections.push({ stage, first: i, end: spans.length, slot: span.slot, offset: span.start, fresh: undefined });
  }
  return sections;
}

/** Whether a section is made of the very span memories it was made of when its findings were stored. */
function sameMembers(members: readonly SpanMemory[], spans: readonly Span[], section: Section): boolean {
  if (members.length !== section.end - section.first) return false;
  for (let i = 0; i < members.length; i++) if (members[i] !== spans[section.first + i]!.memory) return false;
  return true;
}

/** Where an instruction's text ends, for a tree whose line records are unknown. */
function extentEnd(instruction: Instruction): number {
  let end = instruction.range.end;
  for (let current: Instruction | undefined = instruction; current; current = current.trigger) {
    end = Math.max(end, current.range.end);
    for (const heredoc of current.heredocs) end = Math.max(end, heredoc.bodyRange.end, heredoc.terminatorRange?.end ?? 0);
    for (const empty of current.emptyContinuationLines) end = Math.max(end, empty.end);
    for (const comment of current.innerComments) end = Math.max(end, comment.range.end);
  }
  return end;
}

function toStored(rule: number, finding: Finding, base: number): StoredFinding {
  return {
    rule,
    start: finding.range.start - base,
    end: finding.range.end - base,
    message: finding.message,
    fixes: finding.fixes?.map((fix) => ({ title: fix.title, edits: fix.edits.map((edit) => ({ start: edit.range.start - base, end: edit.range.end - base, newText: edit.newText })) })),
  };
}

/** Whether a finding (and its fixes) lies within a stretch of `length` characters it is stored relative to. */
function inside(finding: StoredFinding, length: number): boolean {
  const within = (start: number, end: number) => start >= 0 && end <= length;
  return within(finding.start, finding.end) && (finding.fixes ?? []).every((fix) => fix.edits.every((edit) => within(edit.start, edit.end)));
}

function emit(run: OpenRun, ruleRun: RuleRun, finding: StoredFinding, base: number): void {
  const result: Finding = { range: { start: base + finding.start, end: base + finding.end }, message: finding.message };
  if (finding.fixes) {
    result.fixes = finding.fixes.map((fix) => ({ title: fix.title, edits: fix.edits.map((edit) => ({ range: { start: base + edit.start, end: base + edit.end }, newText: edit.newText })) }));
  }
  run.add(ruleRun, result);
}
