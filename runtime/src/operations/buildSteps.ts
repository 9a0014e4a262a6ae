// Which Dockerfile instruction a builder's progress line is at, so that a
// failed build can name the line of the instruction that failed.
import { parseDockerfile } from '../../../server/src/dockerfile/parser';

/**
 * A step as a builder announces it: Docker's classic builder counts
 * instructions over the whole file (`Step 4/6 : RUN …`); Podman counts them
 * within a stage (`[2/3] STEP 2/4: RUN …`, without the `[…]` when there is
 * one stage), the stage's FROM being its step 1.
 */
export interface BuildStep {
  /** 1-based; with `stage`, within that stage. */
  index: number;
  /** 1-based stage, for builders that count per stage. */
  stage?: number;
}

const STEP = /^(?:Step (\d+)\/\d+ : |(?:\[(\d+)\/\d+\] )?STEP (\d+)\/\d+: )/m;

/** The last step announced in a chunk of build output, if any. */
export function readStep(output: string): BuildStep | undefined {
  let found: BuildStep | undefined;
  const steps = new RegExp(STEP.source, 'gm');
  for (let match = steps.exec(output); match; match = steps.exec(output)) {
    found = match[1] !== undefined ? { index: Number(match[1]) } : { index: Number(match[3]), stage: match[2] === undefined ? 1 : Number(match[2]) };
  }
  return found;
}

/** The 1-based line where each instruction starts, in order: the classic builder's step N is instruction N. */
export function instructionLines(dockerfile: string): number[] {
  return instructions(dockerfile).map((instruction) => instruction.line);
}

/** The 1-based line of the instruction a step names, if the Dockerfile has it. */
export function lineOfStep(dockerfile: string, step: BuildStep): number | undefined {
  const all = instructions(dockerfile);
  if (step.stage === undefined) return all[step.index - 1]?.line;
  const froms = all.flatMap((instruction, position) => (instruction.from ? [position] : []));
  const start = froms[step.stage - 1];
  return start === undefined ? undefined : all[start + step.index - 1]?.line;
}

function instructions(dockerfile: string): { line: number; from: boolean }[] {
  const ast = parseDockerfile(dockerfile);
  return ast.instructions
    .filter((instruction) => instruction.name !== '')
    .map((instruction) => ({ line: ast.lineIndex.positionAt(instruction.range.start).line + 1, from: instruction.name === 'FROM' }));
}
