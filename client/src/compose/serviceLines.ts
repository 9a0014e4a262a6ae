/**
 * Where the services of a compose file are declared, for a CodeLens on each:
 * a scan of block-style YAML by indentation (the shape compose files are
 * written in), cheap enough to run on every CodeLens request. Flow-style
 * `services: {…}` has no service lines and yields none.
 */
export interface ServiceLine {
  name: string;
  /** 0-based. */
  line: number;
}

export function composeServiceLines(text: string): { servicesLine?: number; services: ServiceLine[] } {
  const lines = text.split(/\r?\n/);
  let servicesLine: number | undefined;
  let childIndent: number | undefined;
  const services: ServiceLine[] = [];
  let blockScalarIndent: number | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (/^\s*(#.*)?$/.test(line)) continue;
    const indent = line.length - line.trimStart().length;
    if (blockScalarIndent !== undefined) {
      if (indent > blockScalarIndent) continue;
      blockScalarIndent = undefined;
    }
    if (/^(---|\.\.\.)\s*$/.test(line)) {
      if (servicesLine !== undefined) break;
      continue;
    }
    const key = keyOf(line.trimStart());
    if (key !== undefined && /:\s*[|>][-+0-9]*\s*(#.*)?$/.test(line)) blockScalarIndent = indent;
    if (indent === 0) {
      if (servicesLine !== undefined) break;
      if (key === 'services') servicesLine = index;
      continue;
    }
    if (servicesLine === undefined || key === undefined) continue;
    childIndent ??= indent;
    if (indent === childIndent) services.push({ name: key, line: index });
  }
  return { ...(servicesLine !== undefined ? { servicesLine } : {}), services };
}

/** The key of a `key:` line (plain, single- or double-quoted), or undefined. */
function keyOf(text: string): string | undefined {
  const match = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"{[\]},&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?))\s*:(?:\s|$)/.exec(text);
  if (!match) return undefined;
  if (match[1] !== undefined) return match[1].replace(/\\(.)/g, '$1');
  if (match[2] !== undefined) return match[2].replace(/''/g, "'");
  return match[3]!.trim();
}
