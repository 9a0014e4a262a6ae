import type { Instruction, Token } from '../../dockerfile';

/** The text without one quote character at its start and one at its end (`"KEY"` → `KEY`), as `/^["']|["']$/g` removes them. */
export function stripQuotes(text: string): string {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  const start = first === 0x22 || first === 0x27 ? 1 : 0;
  const end = text.length > start && (last === 0x22 || last === 0x27) ? text.length - 1 : text.length;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** Whether `arg` is the marker (`<<EOF`) of one of the instruction's here-documents rather than a path. */
export function isHeredocMarker(instruction: Instruction, arg: Token): boolean {
  // A loop, not `some` and a closure: asked for every COPY, and most have no here-document.
  const heredocs = instruction.heredocs;
  for (let i = 0; i < heredocs.length; i++) if (heredocs[i]!.marker.range.start === arg.range.start) return true;
  return false;
}
