import type { Instruction } from '../../dockerfile';
import type { RuleContext } from '../context';

/** The text without one quote character at its start and one at its end (`"KEY"` → `KEY`), as `/^["']|["']$/g` removes them. */
export function stripQuotes(text: string): string {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  const start = first === 0x22 || first === 0x27 ? 1 : 0;
  const end = text.length > start && (last === 0x22 || last === 0x27) ? text.length - 1 : text.length;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/**
 * `context.model.expandedValue(text, instruction)`. Text without '$', quotes or either
 * escape character expands to itself, and most words the rules expand are such
 * (`8080/tcp`, `stage0`, `/app`): they are answered here, without the model finding
 * the instruction's scope.
 */
export function expandedText(context: RuleContext, instruction: Instruction, text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x24 || code === 0x22 || code === 0x27 || code === 0x5c || code === 0x60) return context.model.expandedValue(text, instruction);
  }
  return text;
}
