/**
 * Shell patterns in `${VAR#pattern}`, `${VAR%pattern}` and `${VAR/pattern/repl}`,
 * converted to regular expressions the way Docker's shell lexer does: `*` and
 * `?` are wildcards (no bracket expressions), a backslash escapes `*`, `?` or
 * `\`, and before `}` or `/` the backslash is dropped. `.` does not match `\n`,
 * as in Go. Returns null when Docker would reject the pattern.
 */

const REGEXP_SPECIALS = new Set(['[', ']', '{', '}', '.', '+', '(', ')', '|', '^', '$']);
const MAX_VALUE_LENGTH = 100_000;

/** Pattern units, an escaped character staying with its backslash. */
function patternUnits(pattern: string): string[] | null {
  const units: string[] = [];
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i];
    if (char !== '\\') {
      units.push(char);
      continue;
    }
    const next = chars[i + 1];
    if (next === '}' || next === '/') continue;
    if (next !== '*' && next !== '?' && next !== '\\') return null;
    units.push(char + next);
    i++;
  }
  return units;
}

function unitsToRegExp(units: string[], greedy: boolean, anchored: boolean): RegExp {
  let source = anchored ? '^' : '';
  for (const unit of units) {
    if (unit === '*') source += greedy ? '[^\\n]*' : '[^\\n]*?';
    else if (unit === '?') source += '[^\\n]';
    else if (unit.length === 2 && unit[0] === '\\') source += '\\' + unit[1];
    else if (REGEXP_SPECIALS.has(unit)) source += '\\' + unit;
    else source += unit.replace(/[\\*?]/g, (c) => '\\' + c);
  }
  return new RegExp(source, 'u');
}

function reverse(text: string): string {
  return Array.from(text).reverse().join('');
}

/** `${VAR#p}` / `${VAR##p}` (`suffix` false) and `${VAR%p}` / `${VAR%%p}` (`suffix` true). */
export function removeShellPattern(value: string, pattern: string, suffix: boolean, longest: boolean): string | null {
  if (value.length > MAX_VALUE_LENGTH) return null;
  const units = patternUnits(pattern);
  if (!units) return null;
  try {
    if (!suffix) {
      const match = unitsToRegExp(units, longest, true).exec(value);
      return match ? value.slice(match[0].length) : value;
    }
    // Like Docker: match the reversed pattern at the start of the reversed value.
    const reversedValue = reverse(value);
    const match = unitsToRegExp(units.slice().reverse(), longest, true).exec(reversedValue);
    return match ? reverse(reversedValue.slice(match[0].length)) : value;
  } catch {
    return null;
  }
}

/** `${VAR/p/r}` (first match) and `${VAR//p/r}` (all matches); wildcards are greedy. */
export function replaceShellPattern(value: string, pattern: string, replacement: string, all: boolean): string | null {
  if (value.length > MAX_VALUE_LENGTH) return null;
  const units = patternUnits(pattern);
  if (!units) return null;
  try {
    const regexp = unitsToRegExp(units, true, false);
    if (!all) return value.replace(regexp, () => replacement);
    return value.replace(new RegExp(regexp.source, 'gu'), () => replacement);
  } catch {
    return null;
  }
}
