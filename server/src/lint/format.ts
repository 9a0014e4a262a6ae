import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { COMPOSE_CHECKS } from '../compose';
import { composeDocsUrl, ruleDocsUrl } from '../rules/docs';
import { DOCKERFILE_RULES } from '../rules/dockerfile';
import type { LintLanguage } from './files';
import type { FindingSeverity, LintFinding } from './lint';

export type LintFormat = 'tty' | 'json' | 'sarif' | 'checkstyle';
export const LINT_FORMATS: readonly LintFormat[] = ['tty', 'json', 'sarif', 'checkstyle'];

declare const BERTH_VERSION: string;

/**
 * `language`: what the findings are about, for the rules' descriptions and pages in SARIF: one
 * language for all, or each file's (`LintReport.languages`; a file not in it is a Dockerfile).
 */
export function formatFindings(findings: LintFinding[], format: LintFormat, color = false, language: LintLanguage | ReadonlyMap<string, LintLanguage> = 'dockerfile'): string {
  switch (format) {
    case 'json':
      return JSON.stringify(findings, null, 2) + '\n';
    case 'sarif':
      return JSON.stringify(toSarif(findings, language), null, 2) + '\n';
    case 'checkstyle':
      return toCheckstyle(findings);
    case 'tty':
      return toTty(findings, color);
  }
}

function toTty(findings: LintFinding[], color: boolean): string {
  const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const colors: Record<FindingSeverity, string> = { error: '31', warning: '33', info: '36', hint: '2' };
  return findings
    .map((finding) => `${finding.file}:${finding.line}:${finding.column} ${paint(colors[finding.severity], finding.severity)} ${finding.code} ${finding.message}\n`)
    .join('');
}

type DescribedRule = { summary: string; severity: 'error' | 'warning' | 'info' | 'style' };
const DOCKERFILE_RULES_BY_ID = new Map<string, DescribedRule>(DOCKERFILE_RULES.map((rule) => [rule.id, rule]));
const COMPOSE_RULES = new Map<string, DescribedRule>(COMPOSE_CHECKS.map((rule) => [rule.id, rule]));
const SARIF_LEVEL: Record<FindingSeverity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** SARIF 2.1.0, one run, with the rules that produced results described once. */
function toSarif(findings: LintFinding[], language: LintLanguage | ReadonlyMap<string, LintLanguage>): object {
  const languageOf = (file: string): LintLanguage => (typeof language === 'string' ? language : (language.get(file) ?? 'dockerfile'));
  // Each code as the rule of the files it was found in; a code both kinds use with other meanings (invalid-port) as neither.
  const codeLanguages = new Map<string, LintLanguage | null>();
  for (const finding of findings) {
    const seen = codeLanguages.get(finding.code);
    const own = languageOf(finding.file);
    codeLanguages.set(finding.code, seen === undefined || seen === own ? own : null);
  }
  const describe = (id: string) => {
    const kind = codeLanguages.get(id);
    if (!kind) return {};
    const rule = (kind === 'compose' ? COMPOSE_RULES : DOCKERFILE_RULES_BY_ID).get(id);
    return rule
      ? { shortDescription: { text: rule.summary }, helpUri: (kind === 'compose' ? composeDocsUrl : ruleDocsUrl)(id), defaultConfiguration: { level: SARIF_LEVEL[rule.severity === 'style' ? 'hint' : rule.severity] } }
      : {};
  };
  const ruleIds = [...codeLanguages.keys()].sort();
  const uri = (file: string) => (file === '-' ? 'stdin' : relative(process.cwd(), resolve(file)).split('\\').join('/') || pathToFileURL(resolve(file)).href);
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'berth',
            version: typeof BERTH_VERSION === 'string' ? BERTH_VERSION : '0.0.0-dev',
            informationUri: 'https://github.com/berth-dev/berth',
            rules: ruleIds.map((id) => ({ id, ...describe(id) })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(process.cwd() + '/').href } },
        results: findings.map((finding) => ({
          ruleId: finding.code,
          ruleIndex: ruleIds.indexOf(finding.code),
          level: SARIF_LEVEL[finding.severity],
          message: { text: finding.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: uri(finding.file), uriBaseId: 'SRCROOT' },
                region: { startLine: finding.line, startColumn: finding.column, endLine: finding.endLine, endColumn: finding.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Checkstyle XML, as CI dashboards that read hadolint's checkstyle output expect. */
function toCheckstyle(findings: LintFinding[]): string {
  const byFile = new Map<string, LintFinding[]>();
  for (const finding of findings) byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
  const files = [...byFile].map(
    ([file, items]) =>
      `  <file name="${xml(file)}">\n` +
      items.map((f) => `    <error line="${f.line}" column="${f.column}" severity="${f.severity}" message="${xml(f.message)}" source="${xml(f.code)}"/>\n`).join('') +
      '  </file>\n',
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<checkstyle version="4.3">\n${files.join('')}</checkstyle>\n`;
}
