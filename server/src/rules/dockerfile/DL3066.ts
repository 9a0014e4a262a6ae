import type { Stage } from '../../dockerfile';
import { NONE } from '../../dockerfile/none';
import { perStage } from '../context';
import { lastUser } from './_lastUser';
import { isNonPosixShell } from './DL4006';
import type { Rule } from '../types';

/** Windows images: a Windows USER is an account name (ContainerUser), with no UID to give. */
const WINDOWS_IMAGE = /(?:^|\/)(?:windows|nanoserver|servercore)(?:\/|:|@|$)/i;

/** A Windows stage by its platform, base image or shell (PowerShell or cmd, as DL4006 tells them). */
function looksLikeWindows(stage: Stage, shell: readonly string[]): boolean {
  return (
    (stage.platform?.value?.toLowerCase().startsWith('windows') ?? false) ||
    (stage.base.value !== undefined && WINDOWS_IMAGE.test(stage.base.value)) ||
    isNonPosixShell(shell)
  );
}

export const DL3066: Rule = {
  id: 'DL3066',
  source: 'hadolint',
  severity: 'info',
  summary: 'Non-numeric user-id may not be resolvable by host system.',
  docs: `A user name in \`USER\` is looked up in the image's \`/etc/passwd\` when the container starts, and nothing outside the image can read that file: Kubernetes, for one, cannot check \`runAsNonRoot\` against \`USER app\` and refuses to start the pod. Give the numeric UID (\`USER 10001\`, or \`USER 10001:10001\`), matching the \`useradd -u\` that created the user. Only the last \`USER\` of each stage counts, since that is the one the image keeps; a UID taken from an \`ARG\` is accepted as the build's choice. \`root\` is UID 0 everywhere, and ending a stage as root is DL3002's finding, so it is not reported here. Nor is a Windows stage (a Windows base image, platform or shell): its USER is an account name, such as ContainerUser, with no numeric ID.`,
  examples: {
    fire: ['FROM alpine:3.20\nRUN adduser -D -u 10001 app\nUSER app\n', 'FROM node:22\nUSER node:node\nCMD ["node", "server.js"]\n'],
    pass: [
      'FROM alpine:3.20\nRUN adduser -D -u 10001 app\nUSER 10001:10001\n',
      'FROM alpine:3.20\nARG APP_UID=10001\nUSER ${APP_UID}\n',
      'FROM alpine:3.20\nUSER app\nRUN make install\nUSER 10001\n',
      'FROM alpine:3.20\nUSER root\n',
      '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER ContainerUser\n',
      'FROM registry.example.com/base:1\nSHELL ["pwsh", "-Command"]\nUSER ContainerAdministrator\n',
    ],
  },
  ...perStage({
    preamble: false,
    visit(_instructions, stage, context, report) {
      const last = lastUser(stage);
      const token = last?.args[0];
      if (!last || !token) return;
      const colon = token.value.indexOf(':');
      const user = colon < 0 ? token.value : token.value.slice(0, colon);
      if (/^[0-9]+$/.test(user)) return;
      const range = last.logical.sourceRange(token.logicalRange.start, token.logicalRange.start + user.length);
      const references = last.variables.length === 0 ? NONE : last.variables.filter((reference) => reference.range.start >= range.start && reference.range.start < range.end);
      // A UID from an ARG is the build's to choose.
      const userInstruction = last;
      if (references.some((reference) => context.model.lookupVariable(reference.name, userInstruction)?.kind === 'arg')) return;
      // Quotes are removed as Docker expands the word; one never closed leaves no value (invalid-expansion).
      const value = references.length > 0 || /["']/.test(user) ? context.model.expand(user, last).value : user;
      // root is UID 0 in every image, and ending a stage as root is DL3002's finding.
      if (!value || /^[0-9]+$/.test(value) || value === 'root') return;
      // Asked last: most stages end with a numeric USER, or none.
      if (looksLikeWindows(stage, context.stateAt(last).shell.command)) return;
      report({ range, message: `USER ${user} is a name: give the numeric UID so the host can tell which user the container runs as` });
    },
  }),
};
