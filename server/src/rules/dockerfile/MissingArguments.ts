import type { Instruction, TextRange } from '../../dockerfile';
import type { Rule } from '../types';
import { perSyntaxTarget, usesOtherFrontend } from './_syntax';
import { isHeredocMarker } from './_words';

export const MissingArguments: Rule = {
  id: 'missing-arguments',
  source: 'syntax',
  severity: 'error',
  summary: 'The instruction lacks an argument Docker requires.',
  docs: `Docker refuses to build when an instruction is missing what it needs: \`FROM\` needs an image (and a name after \`AS\`), \`COPY\` and \`ADD\` need a source and a destination, \`WORKDIR\`, \`USER\`, \`STOPSIGNAL\` and \`MAINTAINER\` need a value, \`ENV\` and \`LABEL\` need \`key=value\` pairs, \`ARG\` needs a name, \`EXPOSE\` a port, \`VOLUME\` a path, \`HEALTHCHECK\` either \`CMD <command>\` or \`NONE\`, \`SHELL\` the shell's executable, and \`ONBUILD\` the instruction to run later. Names in \`ENV\`, \`LABEL\` and \`ARG\` cannot be empty (\`ENV =value\`), and a here-document cannot be the destination of \`COPY\`/\`ADD\`. Add what is missing. (A \`FROM\` whose image expands to an empty name is reported by the BuildKit checks UndefinedArgInFrom and InvalidDefaultArgInFrom.)`,
  examples: {
    fire: [
      'FROM\n',
      'FROM alpine:3.20 AS\n',
      'FROM alpine:3.20\nCOPY app.py\n',
      'FROM alpine:3.20\nCOPY ["app.py"]\n',
      'FROM alpine:3.20\nWORKDIR\n',
      'FROM alpine:3.20\nENV\n',
      'FROM alpine:3.20\nLABEL =value\n',
      'FROM alpine:3.20\nARG\n',
      'FROM alpine:3.20\nEXPOSE\n',
      'FROM alpine:3.20\nVOLUME ["/data", ""]\n',
      'FROM alpine:3.20\nHEALTHCHECK\n',
      'FROM alpine:3.20\nHEALTHCHECK --interval=5s CMD\n',
      'FROM alpine:3.20\nSHELL []\n',
      'FROM alpine:3.20\nONBUILD\n',
      'FROM alpine:3.20\nCOPY app.py <<EOF\nhello\nEOF\n',
    ],
    pass: [
      'FROM alpine:3.20 AS build\nCOPY <<EOF /app/config\nkey=value\nEOF\n',
      'FROM alpine:3.20\nCOPY ["a b.txt", "/app/"]\nWORKDIR /app\nUSER app\nSTOPSIGNAL SIGTERM\n',
      'FROM alpine:3.20\nENV A=1 B=2\nLABEL version=1\nARG ONE TWO=2\nEXPOSE 80\nVOLUME /data\n',
      'FROM alpine:3.20\nHEALTHCHECK NONE\nSHELL ["/bin/sh", "-c"]\nONBUILD RUN echo hi\n',
      'FROM alpine:3.20\nRUN\nCMD\nENTRYPOINT []\n',
      'ARG IMAGE\nFROM ${IMAGE}\n',
    ],
  },
  ...perSyntaxTarget(undefined, (instruction, context, report) => {
    if (!instruction.known || usesOtherFrontend(context)) return;
    // Runs for every instruction: findings are built where they are found, with no helper closure per visit.
    const keyword = instruction.keywordRange;
    const args = instruction.args;
    switch (instruction.name) {
      case 'FROM': {
        const image = args[0];
        if (!image) {
          report({ range: keyword, message: 'FROM needs an image: FROM <image> [AS <name>]' });
        } else if (args.length === 2 && args[1]!.value.toLowerCase() === 'as') {
          report({ range: args[1]!.range, message: `'${args[1]!.value}' must be followed by a stage name` });
        }
        break;
      }
      case 'COPY':
      case 'ADD': {
        if (args.length < 2) {
          report({ range: wholeLine(instruction), message: `${instruction.name} needs at least one source and a destination` });
          break;
        }
        const destination = args[args.length - 1]!;
        if (isHeredocMarker(instruction, destination)) {
          report({ range: destination.range, message: `The destination of ${instruction.name} cannot be a here-document: put the destination path last` });
        }
        break;
      }
      case 'WORKDIR':
        if (args.length === 0) report({ range: keyword, message: 'WORKDIR needs a directory' });
        break;
      case 'USER':
        if (args.length === 0) report({ range: keyword, message: 'USER needs a user name or UID (and optionally :group)' });
        break;
      case 'STOPSIGNAL':
        if (args.length === 0) report({ range: keyword, message: 'STOPSIGNAL needs a signal, such as SIGTERM' });
        break;
      case 'MAINTAINER':
        if (args.length === 0) report({ range: keyword, message: 'MAINTAINER needs a name' });
        break;
      case 'ENV':
      case 'LABEL':
      case 'ARG': {
        const pairs = instruction.keyValues ?? [];
        if (pairs.length === 0) {
          report({ range: keyword, message: instruction.name === 'ARG' ? 'ARG needs a name: ARG <name>[=<default>]' : `${instruction.name} needs at least one key=value pair` });
          break;
        }
        if (instruction.keyValueForm !== 'equals') break;
        for (const pair of pairs) {
          if (pair.key.value === '' && pair.value) report({ range: pair.range, message: `${instruction.name} names cannot be empty` });
        }
        break;
      }
      case 'EXPOSE':
        if (args.length === 0) report({ range: keyword, message: 'EXPOSE needs at least one port, such as 8080 or 53/udp' });
        break;
      case 'VOLUME':
        if (args.length === 0) report({ range: keyword, message: 'VOLUME needs at least one path' });
        for (const path of args) if (path.value.trim() === '') report({ range: path.range, message: 'A VOLUME path cannot be empty' });
        break;
      case 'ONBUILD':
        if (args.length === 0) report({ range: keyword, message: 'ONBUILD needs the instruction to run in builds FROM this image' });
        break;
      case 'HEALTHCHECK': {
        const type = instruction.healthcheck?.type;
        if (!type) report({ range: keyword, message: 'HEALTHCHECK needs CMD <command> or NONE' });
        else if (type.value.length === 3 && type.value.toUpperCase() === 'CMD' && (instruction.healthcheck?.command.length ?? 0) === 0) {
          report({ range: type.range, message: 'HEALTHCHECK CMD needs the command to run' });
        }
        break;
      }
      case 'SHELL':
        if (args.length === 0 && instruction.json?.nonStringElement !== true) report({ range: keyword, message: 'SHELL needs the shell to use, such as ["/bin/bash", "-c"]' });
        break;
      default:
        break;
    }
  }),
};

/** From the keyword to the end of the arguments (heredoc bodies excluded). */
function wholeLine(instruction: Instruction): TextRange {
  return { start: instruction.keywordRange.start, end: instruction.argsRange?.end ?? instruction.keywordRange.end };
}
