import type { Rule } from '../types';
import { experimentalCheckEnabled } from './_buildkit';

export const InvalidDefinitionDescription: Rule = {
  id: 'InvalidDefinitionDescription',
  source: 'buildkit',
  severity: 'warning',
  summary: 'A comment right above a named FROM or an ARG should read `# <name> <description>`.',
  docs: `\`docker buildx build --call=outline\` and \`--call=targets\` show the comment directly above a \`FROM … AS name\` or an \`ARG\` as its description, when the comment starts with the stage or argument name: \`# VERSION the release to package\` above \`ARG VERSION\`. A comment there that does not start with the name is probably meant for something else; start it with the name, or separate it from the instruction with an empty \`#\` line.

This check is experimental in BuildKit and off unless asked for, as there: enable it with the directive \`# check=experimental=InvalidDefinitionDescription\` (or \`experimental=all\`) at the top of the Dockerfile.`,
  examples: {
    fire: [
      '# check=experimental=InvalidDefinitionDescription\n# the build stage\nFROM golang:1.23 AS build\n',
      '# check=experimental=all\nFROM alpine:3.20\n# pick a version\nARG VERSION=1\n',
    ],
    pass: [
      '# check=experimental=InvalidDefinitionDescription\n# build compiles the binary\nFROM golang:1.23 AS build\n# VERSION the release to package\nARG VERSION=1\n',
      '# check=experimental=InvalidDefinitionDescription\n# a note about the base image\n#\nFROM alpine:3.20 AS base\n',
      '# the build stage\nFROM golang:1.23 AS build\n',
      '# check=experimental=all\n# any comment above an unnamed stage\nFROM alpine:3.20\n# or above other instructions\nRUN echo hello\n',
    ],
  },
  check(context, report) {
    if (!experimentalCheckEnabled(context, 'InvalidDefinitionDescription')) return;
    for (const instruction of context.instructions) {
      let names: string[];
      if (instruction.name === 'FROM') {
        // BuildKit keeps stage names lowercased.
        const stageName = instruction.from?.stageName?.value.toLowerCase();
        names = stageName ? [stageName] : [];
      } else if (instruction.name === 'ARG') {
        names = (instruction.keyValues ?? []).map((pair) => pair.key.value);
      } else {
        continue;
      }
      const comment = instruction.comments[instruction.comments.length - 1];
      if (names.length === 0 || !comment) continue;
      const firstWord = comment.text.split(' ')[0] ?? '';
      if (names.includes(firstWord)) continue;
      const example = names.length === 1 ? names[0]! : '<arg name>';
      const what = instruction.name === 'FROM' ? `stage ${names[0]}` : names.length === 1 ? `ARG ${names[0]}` : 'these ARGs';
      report({
        range: comment.range,
        message: `The comment above ${what} should be a description in the form "# ${example} <description>", or be separated from it by an empty "#" line`,
      });
    }
  },
};
