import type { Instruction, Stage } from '../../dockerfile';
import type { Rule } from '../types';
import type { WithExampleSettings } from './_labels';

export const DL3057: Rule & WithExampleSettings = {
  id: 'DL3057',
  source: 'hadolint',
  severity: 'info',
  summary: '`HEALTHCHECK` instruction missing.',
  docs: `Off unless you give it a severity (as in hadolint, where its default level is "ignore"): in \`.hadolint.yaml\`, list it under \`override\` (e.g. \`info: [DL3057]\`), or set its severity in \`berth.dockerfile.rules\`.

Without a \`HEALTHCHECK\`, Docker only knows whether the container's process is running, not whether it still answers; with one, \`docker ps\`, restart policies and orchestrators can tell a hung service from a healthy one. Add \`HEALTHCHECK CMD …\` (or \`HEALTHCHECK NONE\` to state that none is wanted). A stage built \`FROM\` a stage with a \`HEALTHCHECK\` inherits it; stages that other stages build on or copy from are not shipped images and are not reported.`,
  enabledByDefault: false,
  exampleSettings: { severityOverrides: new Map([['DL3057', 'info']]) },
  examples: {
    fire: ['FROM nginx:1.27\nCOPY site /usr/share/nginx/html\n'],
    pass: [
      'FROM nginx:1.27\nCOPY site /usr/share/nginx/html\nHEALTHCHECK CMD curl -fs http://localhost/ || exit 1\n',
      'FROM alpine:3.20 AS base\nHEALTHCHECK NONE\nFROM base\nCMD ["/app"]\n',
      'FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /out/app /app\nHEALTHCHECK CMD ["/app", "health"]\n',
    ],
  },
  check(context, report) {
    // hadolint's "ignore" level: the rule runs only once the user gives it a severity.
    const own = new Set<Stage>();
    for (const stage of context.model.stages) if (stage.instructions.some(isHealthcheck)) own.add(stage);
    const has = (stage: Stage | undefined): boolean => {
      for (let current = stage; current; current = current.base.stage) if (own.has(current)) return true;
      return false;
    };
    for (const stage of context.model.stages) {
      if (stage.usedBy.some((use) => use.user !== stage) || has(stage)) continue;
      report({ range: stage.from.keywordRange, message: 'HEALTHCHECK instruction missing: add one so the container can report whether it works' });
    }
  },
};

const isHealthcheck = (instruction: Instruction) => instruction.name === 'HEALTHCHECK';
