import type { FindingSeverity, LintFinding } from './lint';

export type LintFormat = 'tty' | 'json';
export const LINT_FORMATS: readonly LintFormat[] = ['tty', 'json'];

export function formatFindings(findings: LintFinding[], format: LintFormat, color = false): string {
  if (format === 'json') return JSON.stringify(findings, null, 2) + '\n';
  const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const colors: Record<FindingSeverity, string> = { error: '31', warning: '33', info: '36', hint: '2' };
  return findings
    .map((finding) => `${finding.file}:${finding.line}:${finding.column} ${paint(colors[finding.severity], finding.severity)} ${finding.code} ${finding.message}\n`)
    .join('');
}
