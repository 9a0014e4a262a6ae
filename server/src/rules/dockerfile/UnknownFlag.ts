import type { Rule } from '../types';
import { acceptedFlags, closest, flagNameRange, FLAG_TABLES, perSyntaxTarget, usesOtherFrontend } from './_syntax';

export const UnknownFlag: Rule = {
  id: 'unknown-flag',
  source: 'syntax',
  severity: 'error',
  summary: 'The instruction does not accept this flag.',
  docs: `Each instruction accepts a fixed set of \`--flags\`, and their names are case-sensitive: \`FROM --platform\`; \`RUN --mount\`, \`--network\`, \`--security\` and \`--device\`; \`COPY --from\`, \`--chown\`, \`--chmod\`, \`--link\`, \`--parents\` and \`--exclude\`; \`ADD --chown\`, \`--chmod\`, \`--link\`, \`--checksum\`, \`--keep-git-dir\`, \`--unpack\` and \`--exclude\`; \`HEALTHCHECK --interval\`, \`--timeout\`, \`--start-period\`, \`--start-interval\` and \`--retries\`; \`ARG --required\`. Any other flag, or a flag on an instruction that takes none (\`WORKDIR --chown\`), stops the build with "unknown flag". When the name is close to a valid one, the quick fix corrects it.`,
  examples: {
    fire: [
      'FROM alpine:3.20\nCOPY --form=build /app /app\n',
      'FROM alpine:3.20\nADD --from=build /app /app\n',
      'FROM alpine:3.20\nCOPY --Chown=app /src /app\n',
      'FROM alpine:3.20\nWORKDIR --chown=app /app\n',
      'FROM --plattform=linux/amd64 alpine:3.20\n',
      'FROM alpine:3.20\nHEALTHCHECK --intervall=30s CMD true\n',
    ],
    pass: [
      'FROM --platform=$BUILDPLATFORM alpine:3.20 AS build\nRUN --mount=type=cache,target=/root/.cache --network=none --security=sandbox make\n',
      'FROM alpine:3.20\nCOPY --from=build --chown=app:app --chmod=0755 --link --parents --exclude=*.md src/ /app/\n',
      'FROM alpine:3.20\nADD --checksum=sha256:0000000000000000000000000000000000000000000000000000000000000000 --keep-git-dir --unpack=false https://example.com/a.tar /a\n',
      'FROM alpine:3.20\nHEALTHCHECK --interval=30s --timeout=3s --start-period=5s --start-interval=1s --retries=3 CMD true\n',
      'FROM alpine:3.20\nHEALTHCHECK --interval=30s NONE\nSTOPSIGNAL SIGTERM\n',
      'FROM alpine:3.20\nRUN echo --not-a-flag\n',
    ],
  },
  ...perSyntaxTarget(undefined, (instruction, context, report) => {
    if (usesOtherFrontend(context)) return;
    const accepted = acceptedFlags(instruction);
    if (!accepted) return;
    for (const flag of instruction.flags) {
      if (accepted.has(flag.name)) continue;
      const names = [...accepted.keys()];
      const range = flagNameRange(flag);
      const suggestion = closest(flag.name, names);
      let message = `Unknown flag --${flag.name} for ${instruction.name}`;
      if (suggestion) message += ` (did you mean --${suggestion}?)`;
      else if (names.length === 0) message = `${instruction.name} takes no flags: --${flag.name} is not accepted`;
      else {
        const elsewhere = [...FLAG_TABLES].filter(([name, flags]) => name !== instruction.name && flags.has(flag.name)).map(([name]) => name);
        message += elsewhere.length > 0 ? ` (it is a flag of ${elsewhere.join(' and ')})` : `; it accepts ${names.map((name) => `--${name}`).join(', ')}`;
      }
      report({
        range,
        message,
        ...(suggestion && context.text.slice(flag.nameRange.start, flag.nameRange.end) === flag.name ? { fixes: [{ title: `Change to --${suggestion}`, edits: [{ range: flag.nameRange, newText: suggestion }] }] } : {}),
      });
    }
  }, 'flags'),
};
