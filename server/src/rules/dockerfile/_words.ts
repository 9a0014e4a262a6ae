import type { Instruction } from '../../dockerfile';
import type { RuleContext } from '../context';

/**
 * `context.model.expand(text, instruction).value`: the value Docker gives a
 * word at the instruction (quotes removed, variables expanded), undefined when
 * it cannot be known. Most words hold no `$`, quote or escape and are their own
 * value; rules ask for every word of many instructions, so those are answered
 * without the model's expansion result (two arrays and an object each).
 */
export function expandedValue(context: RuleContext, text: string, instruction: Instruction): string | undefined {
  const escape = context.model.ast.escapeChar.charCodeAt(0);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x24 || code === 0x22 || code === 0x27 || code === escape) return context.model.expand(text, instruction).value;
  }
  return text;
}

/** The text without one quote character at its start and one at its end (`"KEY"` → `KEY`), as `/^["']|["']$/g` removes them. */
export function stripQuotes(text: string): string {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  const start = first === 0x22 || first === 0x27 ? 1 : 0;
  const end = text.length > start && (last === 0x22 || last === 0x27) ? text.length - 1 : text.length;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}
