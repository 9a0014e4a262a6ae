import type { Rule } from '../types';
import { perLabel } from './_labels';

const RESERVED_NAMESPACES = ['com.docker.', 'io.docker.', 'org.dockerproject.'];

/** Why a label key breaks Docker's naming guidelines, or undefined when it follows them. */
export function labelKeyProblem(key: string): string | undefined {
  if (key === '') return 'it is empty';
  if (!/^[a-z]/.test(key)) return 'it must start with a lower-case letter';
  if (!/[a-z0-9]$/.test(key)) return 'it must end with a lower-case letter or a digit';
  const bad = /[^a-z0-9.-]/.exec(key);
  if (bad) return `'${bad[0]}' is not allowed: use only lower-case letters, digits, '.' and '-'`;
  if (key.includes('..') || key.includes('--')) return "'..' and '--' are not allowed";
  const reserved = RESERVED_NAMESPACES.find((prefix) => key.startsWith(prefix));
  if (reserved) return `the ${reserved.slice(0, -1)} namespace is reserved for Docker`;
  return undefined;
}

export const DL3048: Rule = {
  id: 'DL3048',
  source: 'hadolint',
  severity: 'style',
  summary: 'Invalid label key.',
  docs: `Docker's guidelines for label keys: lower-case letters, digits, \`.\` and \`-\` only; start with a letter and end with a letter or digit; no \`..\` or \`--\`; and keep out of the namespaces Docker reserves for itself (\`com.docker.*\`, \`io.docker.*\`, \`org.dockerproject.*\`). Tools that read labels (registries, orchestrators, scanners) count on these conventions, so prefer reverse-DNS keys such as \`com.example.team\` or the OCI keys \`org.opencontainers.image.*\`.`,
  examples: {
    fire: [
      'FROM alpine:3.20\nLABEL Maintainer="ops@example.com"\n',
      'FROM alpine:3.20\nLABEL com.example.build_id=42\n',
      'FROM alpine:3.20\nLABEL com.docker.compose.project=shop\n',
      'FROM alpine:3.20\nLABEL "com.example..team"=payments\n',
    ],
    pass: [
      'FROM alpine:3.20\nLABEL org.opencontainers.image.title="Shop" com.example.build-id=42\n',
      'FROM alpine:3.20\nLABEL "com.example.team"=payments\n',
      'FROM alpine:3.20\nLABEL version=1.0\n',
    ],
  },
  ...perLabel({ triggers: true }, ({ key, keyRange }, _context, report) => {
    if (key === undefined) return;
    const problem = labelKeyProblem(key);
    if (problem) report({ range: keyRange, message: `Invalid label key '${key}': ${problem}` });
  }),
};
