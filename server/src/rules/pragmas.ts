import type { DockerfileAst, Instruction } from '../dockerfile';

/** What the file itself says to skip or escalate. */
export interface FilePragmas {
  /** `# hadolint global ignore=…` anywhere, `# check=skip=…` directive. */
  globallyIgnored: ReadonlySet<string>;
  /** `# check=skip=all`. */
  skipAllBuildChecks: boolean;
  /** `# check=error=true`: BuildKit's checks become errors. */
  buildChecksAreErrors: boolean;
  /** `# hadolint ignore=…` in the comments right above an instruction. */
  ignoredAt: ReadonlyMap<Instruction, ReadonlySet<string>>;
}

/** What most files say: nothing (read for every lint, so one shared answer rather than a new set and map each time). */
const NO_PRAGMAS: FilePragmas = Object.freeze({ globallyIgnored: new Set<string>(), skipAllBuildChecks: false, buildChecksAreErrors: false, ignoredAt: new Map() });

const IGNORE = /^hadolint\s+ignore\s*=\s*([\w\s,-]+)$/i;
const GLOBAL_IGNORE = /^hadolint\s+global\s+ignore\s*=\s*([\w\s,-]+)$/i;

/** Both pragmas start with `hadolint` (any case): a cheap test before the regular expressions, run on every comment after each edit. */
function mentionsHadolint(text: string): boolean {
  return text.length >= 8 && (text.charCodeAt(0) | 0x20) === 0x68 /* h */ && text.slice(0, 8).toLowerCase() === 'hadolint';
}

function codes(list: string): string[] {
  return list
    .split(',')
    .map((code) => code.trim())
    .filter(Boolean);
}

export function readPragmas(ast: DockerfileAst): FilePragmas {
  if (!ast.comments.some((comment) => mentionsHadolint(comment.text)) && !ast.directives.some((directive) => directive.name === 'check' && directive.active)) return NO_PRAGMAS;
  const pragmas = { globallyIgnored: new Set<string>(), skipAllBuildChecks: false, buildChecksAreErrors: false, ignoredAt: new Map<Instruction, Set<string>>() };
  // Read after every edit: one pass over the comments (a few), not over every instruction.
  for (const comment of ast.comments) {
    if (!mentionsHadolint(comment.text)) continue;
    const global = GLOBAL_IGNORE.exec(comment.text);
    if (global) for (const code of codes(global[1]!)) pragmas.globallyIgnored.add(code);
    const local = IGNORE.exec(comment.text);
    if (!local) continue;
    // Only the comment block directly above counts, as in hadolint (extended to the whole block).
    const instruction = commentedInstruction(ast.instructions, comment.range.start);
    if (!instruction) continue;
    let set = pragmas.ignoredAt.get(instruction);
    if (!set) pragmas.ignoredAt.set(instruction, (set = new Set()));
    for (const code of codes(local[1]!)) set.add(code);
    if (instruction.trigger) pragmas.ignoredAt.set(instruction.trigger, set);
  }
  for (const directive of ast.directives) {
    if (directive.name !== 'check' || !directive.active) continue;
    for (const part of directive.value.split(';')) {
      const [key, value = ''] = part.split('=', 2).map((piece) => piece.trim());
      if (key === 'skip') {
        if (value === 'all') pragmas.skipAllBuildChecks = true;
        else for (const code of codes(value)) pragmas.globallyIgnored.add(code);
      } else if (key === 'error') {
        pragmas.buildChecksAreErrors = value === 'true';
      }
    }
  }
  return pragmas;
}

/** The instruction whose comments (the block above it) include the comment at `offset`: the first one after it, if any. */
function commentedInstruction(instructions: readonly Instruction[], offset: number): Instruction | undefined {
  let low = 0;
  let high = instructions.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (instructions[mid]!.range.start <= offset) low = mid + 1;
    else high = mid;
  }
  const instruction = instructions[low];
  return instruction?.comments.some((comment) => comment.range.start === offset) ? instruction : undefined;
}
