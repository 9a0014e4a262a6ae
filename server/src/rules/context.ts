import type { DockerfileModel, Instruction, InstructionState } from '../dockerfile';
import { parseShell, type ParsedScript } from '../shell';
import type { LintSettings } from './settings';

/** A shell script a RUN instruction executes, with offsets mapped to the document. */
export interface RunScript {
  parsed: ParsedScript;
  /** The shell that runs it, e.g. `['/bin/sh', '-c']`. */
  shell: readonly string[];
  /** Where it came from: the RUN line itself, `sh -c` of an exec form, or a heredoc body. */
  origin: 'shell-form' | 'exec-form' | 'heredoc';
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
      scripts = readRunScripts(instruction, this.model.stateAt(instruction).shell.command);
      this.scriptCache.set(instruction, scripts);
    }
    return scripts;
  }
}

const HEREDOC_ONLY = /^(?:\s*\d?<<-?\S+)+\s*$/;
const SHELL_C = /^(?:\/(?:usr\/)?bin\/)?(?:sh|bash|ash|dash|zsh)$/;

function readRunScripts(instruction: Instruction, shell: readonly string[]): RunScript[] {
  const scripts: RunScript[] = [];
  if (instruction.form === 'exec') {
    // ["sh", "-c", "script"] is a shell script in disguise; other exec forms run no shell.
    const [program, flag, script] = instruction.args;
    if (program && flag && script && SHELL_C.test(program.value) && flag.value === '-c') {
      const start = script.range.start + 1; // past the opening quote
      scripts.push({ parsed: parseShell(script.value, { offsets: (i) => start + i }), shell: [program.value, '-c'], origin: 'exec-form' });
    }
    return scripts;
  }
  const line = instruction.args[0];
  const heredocsRunAsScript = instruction.heredocs.length > 0 && (!line || HEREDOC_ONLY.test(line.value));
  if (line && !heredocsRunAsScript) {
    const base = line.logicalRange.start;
    scripts.push({
      parsed: parseShell(line.value, { offsets: (i) => instruction.logical.sourceOffset(base + i) }),
      shell,
      origin: 'shell-form',
    });
  }
  if (heredocsRunAsScript) {
    for (const heredoc of instruction.heredocs) {
      const start = heredoc.bodyRange.start;
      scripts.push({ parsed: parseShell(heredoc.content, { offsets: (i) => start + i }), shell, origin: 'heredoc' });
    }
  }
  return scripts;
}
