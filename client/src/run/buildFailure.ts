/**
 * Where a failed build went wrong, for a diagnostic on the failing instruction.
 * The daemon answers the line when it can; when it cannot, the last
 * "Step N/M" the classic builder printed names the Nth instruction.
 */

/** 0-based first line of each instruction (FROMs included; comments, blank lines and continuations not). */
export function instructionLines(text: string): number[] {
  const lines = text.split(/\r?\n/);
  let escape = '\\';
  let inDirectives = true;
  const result: number[] = [];
  let continued = false;
  let heredocEnd: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (heredocEnd.length) {
      if (line.replace(/^\t+/, '') === heredocEnd[0]) heredocEnd.shift();
      continue;
    }
    const trimmed = line.trim();
    if (inDirectives) {
      const directive = /^#\s*escape\s*=\s*(\S)/i.exec(trimmed);
      if (directive) escape = directive[1]!;
      if (!/^#\s*\w+\s*=/.test(trimmed)) inDirectives = false;
    }
    if (trimmed.startsWith('#') || (!continued && trimmed === '')) continue;
    if (!continued) result.push(index);
    continued = trimmed.endsWith(escape);
    if (!continued) heredocEnd = [...line.matchAll(/<<-?\s*["']?([A-Za-z_][\w]*)["']?/g)].map((match) => match[1]!);
  }
  return result;
}

/** The 0-based line of the instruction of the last "Step N/M" in the build log, if any. */
export function failingLineFromLog(log: string, dockerfileText: string): number | undefined {
  const steps = [...log.matchAll(/^Step (\d+)\/\d+ :/gm)];
  const last = steps.at(-1);
  if (!last) return undefined;
  return instructionLines(dockerfileText)[parseInt(last[1]!, 10) - 1];
}

/** A short code for the Problems panel, from the engine's error message. */
export function buildErrorCode(error: string): string {
  // Docker's classic builder and BuildKit, then Podman ("while running runtime: exit status 3").
  if (/returned a non-zero code|non-zero exit|exit status \d+/i.test(error)) return 'command-failed';
  if (/COPY failed|ADD failed|no such file or directory|not found in build context|file not found/i.test(error)) return 'missing-source';
  if (/pull access denied|manifest unknown|repository does not exist|no such image|not found: manifest|requested access to the resource is denied|reading manifest/i.test(error)) return 'missing-base-image';
  if (/unknown instruction|dockerfile parse error|syntax/i.test(error)) return 'dockerfile-syntax';
  return 'build-failed';
}
