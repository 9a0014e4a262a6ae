import type { Rule } from './types';

/** Where each rule's page is published: docs/rules/<id>.md in the repository. */
export const RULE_DOCS_BASE = 'https://github.com/berth-dev/berth/blob/main/docs/rules/';

export function ruleDocsUrl(id: string): string {
  // Asked for every diagnostic of every lint, of a hundred or so codes.
  let url = DOCS_URLS.get(id);
  if (url === undefined) DOCS_URLS.set(id, (url = `${RULE_DOCS_BASE}${encodeURIComponent(id)}.md`));
  return url;
}

const DOCS_URLS = new Map<string, string>();

/** Compose checks have pages of their own folder (codes such as `invalid-port` exist on both sides). */
export function composeDocsUrl(code: string): string {
  return `${RULE_DOCS_BASE}compose/${encodeURIComponent(code)}.md`;
}

const ORIGIN: Record<Rule['source'], string> = {
  hadolint: 'Same code and meaning as in hadolint.',
  buildkit: 'Same name and meaning as BuildKit\'s build check.',
  berth: 'A Berth rule.',
  syntax: 'A syntax error: Docker would refuse this Dockerfile.',
};

function origin(rule: Rule): string {
  if (rule.source === 'syntax' && rule.severity !== 'error') return 'A syntax problem: Docker accepts this Dockerfile but reads it differently than it looks.';
  return ORIGIN[rule.source];
}

/** The Markdown page of a rule, made from the rule's own file. */
export function renderRuleDoc(rule: Rule): string {
  const block = (text: string) => '```dockerfile\n' + text.replace(/\n?$/, '\n') + '```';
  return [
    `# ${rule.id}`,
    '',
    `**${rule.summary}**`,
    '',
    rule.enabledByDefault === false
      ? `Off by default; give it a severity (\`override\` in \`.hadolint.yaml\`, or \`berth.dockerfile.rules\`) to turn it on, at ${rule.severity} unless you say otherwise. ${origin(rule)}`
      : `Default severity: ${rule.severity}. ${origin(rule)}`,
    '',
    rule.docs.trim(),
    '',
    '## Reported',
    '',
    ...rule.examples.fire.flatMap((example) => [block(example), '']),
    '## Not reported',
    '',
    ...rule.examples.pass.flatMap((example) => [block(example), '']),
    '## Silencing it',
    '',
    `On the line above the instruction: \`# hadolint ignore=${rule.id}\`. For the whole file: \`# hadolint global ignore=${rule.id}\`${rule.source === 'buildkit' ? ` or the directive \`# check=skip=${rule.id}\`` : ''}. In \`.hadolint.yaml\`: \`ignored: [${rule.id}]\`.`,
    ...(rule.aliases?.length
      ? ['', `BuildKit calls the same check ${rule.aliases.map((alias) => `\`${alias}\``).join(' and ')}: it is reported once, as ${rule.id}, and \`# check=skip=${rule.aliases[0]}\` or an ignore pragma naming it silences it too.`]
      : []),
    '',
  ].join('\n');
}
