import { NONE } from '../../dockerfile/none';
import { perInstruction } from '../context';
import type { Rule } from '../types';

/** Docker's reserved namespaces, by their first character. */
const RESERVED_NAMESPACES: ReadonlyMap<number, string> = new Map(['com.docker.', 'io.docker.', 'org.dockerproject.'].map((prefix) => [prefix.charCodeAt(0), prefix]));

/** Why a label key breaks Docker's naming guidelines, or undefined when it follows them. */
export function labelKeyProblem(key: string): string | undefined {
  if (key === '') return 'it is empty';
  if (!isLowerLetter(key.charCodeAt(0))) return 'it must start with a lower-case letter';
  const last = key.charCodeAt(key.length - 1);
  if (!isLowerLetter(last) && !isDigit(last)) return 'it must end with a lower-case letter or a digit';
  // One pass finds both a character not allowed and a doubled '.' or '-' (reported only when every character is allowed).
  let doubled = false;
  let previous = 0;
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (isLowerLetter(code) || isDigit(code)) {
      previous = code;
      continue;
    }
    if (code !== 0x2e && code !== 0x2d) return `'${key[i]}' is not allowed: use only lower-case letters, digits, '.' and '-'`;
    if (code === previous) doubled = true;
    previous = code;
  }
  if (doubled) return "'..' and '--' are not allowed";
  // The reserved namespaces start with different letters: only the one with the key's first letter can match.
  const prefix = RESERVED_NAMESPACES.get(key.charCodeAt(0));
  if (prefix !== undefined && key.startsWith(prefix)) return `the ${prefix.slice(0, -1)} namespace is reserved for Docker`;
  return undefined;
}

const isLowerLetter = (code: number) => code >= 0x61 && code <= 0x7a;
const isDigit = (code: number) => code >= 0x30 && code <= 0x39;

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
      'FROM alpine:3.20\nLABEL =value\n',
    ],
  },
  ...perInstruction({
    // Keys only: the label entries (values expanded too) are left to the label-schema rules, which are off unless configured.
    names: ['LABEL'],
    triggers: true,
    visit(instruction, context, report) {
      for (const pair of instruction.keyValues ?? NONE) {
        const written = pair.key.value;
        // No key written at all is a syntax error (missing-arguments), not a key to rename.
        if (written === '') continue;
        // A key valid as written holds no '$', quote or escape, so expanding it changes nothing: most keys are done here.
        let problem = labelKeyProblem(written);
        if (problem === undefined) continue;
        const key = context.model.expandedValue(written, instruction);
        if (key === undefined) continue;
        if (key !== written) problem = labelKeyProblem(key);
        if (problem) report({ range: pair.key.range, message: `Invalid label key '${key}': ${problem}` });
      }
    },
  }),
};
