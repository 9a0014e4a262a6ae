import { imageReferenceProblem, isImageReference, splitImageReference, type Token } from '../../dockerfile';
import { perStage } from '../context';
import type { Fix, Rule } from '../types';

export const InvalidImageReference: Rule = {
  id: 'invalid-image-reference',
  source: 'syntax',
  severity: 'error',
  summary: 'FROM or COPY --from names an image Docker cannot parse as an image reference.',
  docs: `An image reference is \`[registry[:port]/]path[:tag][@digest]\`: the path in lower case (letters, digits, and \`.\`, \`_\`, \`__\` or \`-\` between them), a tag of up to 128 letters, digits, \`_\`, \`.\` and \`-\`, and a digest such as \`sha256:\` with 64 hexadecimal digits. Anything else, such as \`FROM Alpine:3.20\`, \`FROM alpine:3.20:slim\` or a shortened digest, fails the build with "failed to parse stage name … invalid reference format" before anything is pulled; the message says which part is wrong. The registry part may use capitals (a first part with capitals is read as a registry host). \`COPY --from=\` a value with \`:\`, \`@\` or \`/\` (an image, never a stage) is checked the same way. A name made of build arguments is left to InvalidDefaultArgInFrom, BuildKit's check of the same thing with the arguments' defaults. The quick fix lower-cases a name that only has capitals wrong.`,
  examples: {
    fire: [
      'FROM Alpine:3.20\n',
      'FROM alpine:3.20:slim\n',
      'FROM alpine@sha256:0123456789abcdef\n',
      'FROM alpine:3.20\nCOPY --from=Nginx:1.27 /etc/nginx/nginx.conf /etc/nginx/\n',
    ],
    pass: [
      'FROM alpine:3.20\n',
      'FROM registry.Example.com:5000/team/app:Release-1.0\n',
      'FROM alpine:3.20@sha256:0000000000000000000000000000000000000000000000000000000000000000\n',
      'FROM golang:1.23 AS Build\nFROM Build\n',
      'FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build /out /usr/local/bin/\nCOPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/nginx/\n',
      // Names made of ARGs are InvalidDefaultArgInFrom's (BuildKit's check of the same thing).
      'ARG IMAGE=Debian\nFROM ${IMAGE}:12\n',
    ],
  },
  ...perStage({
    preamble: false,
    visit(instructions, stage, _context, report) {
      const { base } = stage;
      // A name made of variables is InvalidDefaultArgInFrom's to judge (with the ARGs' defaults).
      if (!base.scratch && !base.stage && base.token && base.value !== undefined && !base.token.value.includes('$') && !isImageReference(base.value)) {
        report({ range: base.token.range, message: problemMessage(base.value), fixes: lowerCaseFix(base.token) });
      }
      for (const instruction of instructions) {
        if (instruction.name !== 'COPY' || instruction.flags.length === 0) continue;
        for (const flag of instruction.flags) {
          // Only an image has ':', '@' or '/' (a stage name or index never does); Docker does not expand `--from`.
          const value = flag.value;
          if (flag.name !== 'from' || value === undefined || !flag.valueRange || !/[:@/]/.test(value) || value.includes('$') || isImageReference(value)) continue;
          report({ range: flag.valueRange, message: problemMessage(value) });
        }
      }
    },
  }),
};

function problemMessage(reference: string): string {
  return `Docker cannot use ${reference} as an image: ${imageReferenceProblem(reference) ?? 'invalid reference format'}`;
}

/** Lower-cases the name of a reference written without variables (on one line), when that is all that is wrong. */
function lowerCaseFix(token: Token): Fix[] {
  const written = token.value;
  if (written.includes('$') || token.range.end - token.range.start !== written.length) return [];
  const nameEnd = splitImageReference(written).name[1];
  const fixed = written.slice(0, nameEnd).toLowerCase() + written.slice(nameEnd);
  if (fixed === written || !isImageReference(fixed)) return [];
  return [{ title: `Write ${fixed}`, edits: [{ range: token.range, newText: fixed }] }];
}
