import type { DockerfileModel, Instruction, InstructionState } from '../dockerfile';
import { parseShell, type ParsedScript } from '../shell';
import type { LintSettings } from './settings';

/** A shell script a RUN instruction executes, with offsets mapped to the document. */
export interface RunScript {
  parsed: ParsedScript;
  /** The shell that runs it, e.g. `['/bin/sh', '-c']`. */
  shell: readonly string[];
  /**
   * Where it came from: the RUN line itself, `sh -c` of an exec form, a heredoc
   * body, or an exec form without a shell, read as the one command it runs.
   */
  origin: 'shell-form' | 'exec-form' | 'heredoc' | 'exec-command';
}

/**
 * What every rule sees: the model computed once per text, lint settings, and
 * RUN scripts parsed once on first request and shared by all rules.
 */
export class RuleContext {
  private readonly scriptCache = new Map<Instruction, RunScript[]>();

  constructor(
    readonly model: DockerfileModel,
    readonly settings: LintSettings,
  ) {}

  get text(): string {
    return this.model.ast.text;
  }

  get instructions(): Instruction[] {
    return this.model.ast.instructions;
  }

  /** Every instruction, with ONBUILD triggers right after their ONBUILD. */
  *allInstructions(): Generator<Instruction> {
    for (const instruction of this.model.ast.instructions) {
      yield instruction;
      if (instruction.trigger) yield instruction.trigger;
    }
  }

  stateAt(instruction: Instruction): InstructionState {
    return this.model.stateAt(instruction);
  }

  /** The shell scripts a RUN instruction runs; empty for other instructions. */
  scripts(instruction: Instruction): RunScript[] {
    if (instruction.name !== 'RUN') return [];
    let scripts = this.scriptCache.get(instruction);
    if (!scripts) {
      scripts = readRunScripts(instruction, this.model.stateAt(instruction).shell.command, this.model.ast.text);
      this.scriptCache.set(instruction, scripts);
    }
    return scripts;
  }
}

const HEREDOC_ONLY = /^(?:\s*\d?<<-?\S+)+\s*$/;
const SHELL_C = /^(?:\/(?:usr\/)?bin\/)?(?:sh|bash|ash|dash|zsh)$/;

function readRunScripts(instruction: Instruction, shell: readonly string[], text: string): RunScript[] {
  const scripts: RunScript[] = [];
  if (instruction.form === 'exec') {
    // ["sh", "-c", "script"] is a shell script in disguise; other exec forms run no shell.
    const [program, flag, script] = instruction.args;
    if (program && flag && script && SHELL_C.test(program.value) && flag.value === '-c') {
      const rawIndex = jsonStringIndex(text, script.range.start);
      scripts.push({ parsed: parseShell(script.value, { offsets: rawIndex }), shell: [program.value, '-c'], origin: 'exec-form' });
    } else if (instruction.args.length > 0) {
      scripts.push({ parsed: execFormAsCommand(instruction, text), shell: [], origin: 'exec-command' });
    }
    return scripts;
  }
  const line = instruction.args[0];
  const heredocsRunAsScript = instruction.heredocs.length > 0 && (!line || HEREDOC_ONLY.test(line.value));
  if (heredocsRunAsScript) {
    for (const heredoc of instruction.heredocs) {
      const start = heredoc.bodyRange.start;
      scripts.push({ parsed: parseShell(heredoc.content, { offsets: (i) => start + i }), shell, origin: 'heredoc' });
    }
    return scripts;
  }
  if (!line) return scripts;
  const base = line.logicalRange.start;
  const first = instruction.heredocs[0];
  const last = instruction.heredocs.at(-1);
  if (!first || !last) {
    scripts.push({ parsed: parseShell(line.value, { offsets: (i) => instruction.logical.sourceOffset(base + i) }), shell, origin: 'shell-form' });
    return scripts;
  }
  // `RUN cat <<EOF > file && make`: the shell gets the line, then the heredoc bodies
  // and their terminators, exactly as they follow in the Dockerfile.
  const bodies = text.slice(first.bodyRange.start, last.terminatorRange?.end ?? last.bodyRange.end);
  const lineLength = line.value.length;
  scripts.push({
    parsed: parseShell(`${line.value}\n${bodies}`, {
      offsets: (i) => (i < lineLength ? instruction.logical.sourceOffset(base + i) : i === lineLength ? instruction.logical.sourceEnd(base + i) : first.bodyRange.start + (i - lineLength - 1)),
    }),
    shell,
    origin: 'shell-form',
  });
  return scripts;
}

/**
 * `["pip", "install", "x"]` runs no shell, but rules about commands still apply:
 * quote each element as one shell word so the reader sees the same argv.
 */
function execFormAsCommand(instruction: Instruction, text: string): ParsedScript {
  let script = '';
  const pieces: { start: number; valueLength: number; quoted: boolean; rawIndex: (index: number) => number }[] = [];
  for (const element of instruction.args) {
    if (script) script += ' ';
    const plain = /^[\w@%+=:,./-]+$/.test(element.value);
    const word = plain ? element.value : `'${element.value.replace(/'/g, `'\\''`)}'`;
    pieces.push({ start: script.length, valueLength: element.value.length, quoted: !plain, rawIndex: jsonStringIndex(text, element.range.start) });
    script += word;
  }
  return parseShell(script, {
    offsets: (i) => {
      const piece = pieces.findLast((candidate) => candidate.start <= i) ?? pieces[0]!;
      return piece.rawIndex(Math.max(0, Math.min(i - piece.start - (piece.quoted ? 1 : 0), piece.valueLength - 1)));
    },
  });
}

/**
 * Maps an index in a decoded JSON string to the document offset of the raw
 * character it came from, stepping over escapes (`\"`, `\n`, `\u00e9`).
 */
function jsonStringIndex(text: string, quoteOffset: number): (index: number) => number {
  const starts: number[] = [];
  let raw = text.charCodeAt(quoteOffset) === 34 ? quoteOffset + 1 : quoteOffset;
  return (index) => {
    while (starts.length <= index && raw < text.length && text.charCodeAt(raw) !== 34) {
      starts.push(raw);
      raw += text.charCodeAt(raw) !== 92 ? 1 : text.charCodeAt(raw + 1) === 117 ? 6 : 2;
    }
    return starts[index] ?? raw;
  };
}
