import { asciiLowerCase } from '../../dockerfile/characters';
import { perInstruction } from '../context';
import { firstStageIndexes } from './_stageNames';
import { hasVariable } from './_syntax';
import type { Rule } from '../types';

export const DL3022: Rule = {
  id: 'DL3022',
  source: 'hadolint',
  severity: 'warning',
  summary: 'COPY --from should reference a previously defined FROM alias.',
  docs: `\`COPY --from=<name>\` copies from the build stage of that name; when no stage has the name, Docker quietly treats it as an image to pull, so a typo in a stage name turns into a pull of some unrelated image (or a confusing pull error). Name a stage declared earlier with \`FROM … AS <name>\`, or use a stage index lower than the current stage's. Values that can only be images (with a tag, a digest or a path, like \`nginx:1.27\` or \`ghcr.io/acme/tool\`) are not reported, nor are values with a variable: Docker does not expand variables in \`--from\` and fails the build, which invalid-flag-value reports.`,
  examples: {
    fire: [
      'FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM alpine:3.20\nCOPY --from=buidl /out/app /usr/local/bin/app\n',
      'FROM alpine:3.20\nCOPY --from=assets /site /srv/site\nFROM node:22 AS assets\nRUN npm run build\n',
      'FROM alpine:3.20\nCOPY --from=1 /a /a\n',
    ],
    pass: [
      'FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM alpine:3.20\nCOPY --from=build /out/app /usr/local/bin/app\n',
      'FROM golang:1.22 AS Build\nFROM alpine:3.20\nCOPY --from=build /out/app /usr/local/bin/app\n',
      'FROM golang:1.22\nFROM alpine:3.20\nCOPY --from=0 /out/app /usr/local/bin/app\n',
      'FROM alpine:3.20\nCOPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/nginx/\n',
      'FROM alpine:3.20\nCOPY --from=ghcr.io/acme/tools /bin/tool /usr/local/bin/\n',
      'ARG BUILDER=build\nFROM golang:1.22 AS build\nFROM alpine:3.20\nARG BUILDER\nCOPY --from=${BUILDER} /out/app /app\n',
    ],
  },
  ...perInstruction({
    names: ['COPY'],
    having: 'flags',
    triggers: false,
    visit(instruction, context, report) {
      const { model } = context;
      for (const flag of instruction.flags) {
        if (flag.name !== 'from' || flag.value === undefined || !flag.valueRange || flag.value === '' || hasVariable(flag.value)) continue;
        const stage = model.stageOf(instruction);
        if (!stage) return;
        const value = flag.value;
        // ':', '@' and '/' never appear in stage names.
        const kind = referenceKind(value);
        if (kind === IMAGE) continue;
        if (kind === INDEX) {
          // Its own index is DL3023's business.
          if (Number(value) <= stage.index) continue;
          report({ range: flag.valueRange, message: `COPY --from=${value}: there is no stage ${value} before this one (this is stage ${stage.index})` });
          continue;
        }
        const name = asciiLowerCase(value);
        if (stage.name === name) continue; // DL3023's business
        if ((firstStageIndexes(context).get(name) ?? Infinity) < stage.index) continue;
        const later = model.stages.find((other) => other.index > stage.index && other.name === name);
        report({
          range: flag.valueRange,
          message: later
            ? `COPY --from=${value} refers to a stage defined later in the file: define stage '${value}' before this one`
            : `COPY --from=${value} does not name a stage defined earlier: check the spelling, or give the image's tag if '${value}' is an image`,
        });
      }
    },
  }),
};

const NAME = 0;
const INDEX = 1;
const IMAGE = 2;

/** What `--from` names: a stage INDEX (digits only), an IMAGE (':', '@' or '/' appear), or a stage NAME; one look at each character. */
function referenceKind(value: string): number {
  let digits = value.length > 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x3a || code === 0x40 || code === 0x2f) return IMAGE;
    if (code < 0x30 || code > 0x39) digits = false;
  }
  return digits ? INDEX : NAME;
}
