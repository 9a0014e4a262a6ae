/**
 * The Markdown page of a compose check (docs/rules/compose/<code>.md), made
 * from the check's own file by `npm run docs`, as the Dockerfile rules' pages are.
 */
import type { ComposeCheck, ComposeExample } from './check';

function block(text: string): string {
  return '```yaml\n' + text.replace(/\n?$/, '\n') + '```';
}

/** A single compose.yaml as one block; a project as one block per file, named. */
function renderExample(example: ComposeExample): string[] {
  if (typeof example === 'string') return [block(example), ''];
  const lines: string[] = [];
  for (const [path, text] of Object.entries(example.files)) {
    lines.push(`\`${path}\`:`, '', path.endsWith('.yaml') || path.endsWith('.yml') ? block(text) : '```\n' + text.replace(/\n?$/, '\n') + '```', '');
  }
  if (example.load) lines.push(`Loaded as \`${example.load.map((path) => `-f ${path}`).join(' ')}\`.`, '');
  if (example.environment) lines.push(`With ${Object.entries(example.environment).map(([name, value]) => `\`${name}=${value}\``).join(', ')} in the environment.`, '');
  return lines;
}

export function renderComposeCheckDoc(check: ComposeCheck): string {
  return [
    `# ${check.id}`,
    '',
    `**${check.summary}**`,
    '',
    `Compose check. Default severity: ${check.severity}.`,
    '',
    check.docs.trim(),
    '',
    '## Reported',
    '',
    ...check.examples.fire.flatMap(renderExample),
    '## Not reported',
    '',
    ...check.examples.pass.flatMap(renderExample),
    '## Silencing it',
    '',
    `On the line above the one it is reported on: \`# berth ignore=${check.id}\`. For the whole file: \`# berth global ignore=${check.id}\`. In the editor's settings: \`"berth.compose.ignore": ["${check.id}"]\`; on the command line: \`berth lint --lang compose --ignore ${check.id}\`.`,
    '',
  ].join('\n');
}
