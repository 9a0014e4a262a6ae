import type { Instruction, TextRange } from '../../dockerfile';
import type { Rule } from '../types';
import { perSyntaxTarget } from './_syntax';

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
  ...perSyntaxTarget(undefined, ({ instruction }, _context, report) => {
    if (!instruction.known) return;
    const say = (message: string, range: TextRange = instruction.keywordRange) => report({ range, message });
    const args = instruction.args;
    switch (instruction.name) {
      case 'FROM': {
        const image = args[0];
        if (!image) {
          say('FROM needs an image: FROM <image> [AS <name>]');
        } else if (args.length === 2 && args[1]!.value.toLowerCase() === 'as') {
          say(`'${args[1]!.value}' must be followed by a stage name`, args[1]!.range);
        }
        break;
      }
      case 'COPY':
      case 'ADD': {
        if (args.length < 2) {
          say(`${instruction.name} needs at least one source and a destination`, wholeLine(instruction));
          break;
        }
        const destination = args[args.length - 1]!;
        if (instruction.heredocs.some((heredoc) => heredoc.marker.range.start === destination.range.start)) {
          say(`The destination of ${instruction.name} cannot be a here-document: put the destination path last`, destination.range);
        }
        break;
      }
      case 'WORKDIR':
        if (args.length === 0) say('WORKDIR needs a directory');
        break;
      case 'USER':
        if (args.length === 0) say('USER needs a user name or UID (and optionally :group)');
        break;
      case 'STOPSIGNAL':
        if (args.length === 0) say('STOPSIGNAL needs a signal, such as SIGTERM');
        break;
      case 'MAINTAINER':
        if (args.length === 0) say('MAINTAINER needs a name');
        break;
      case 'ENV':
      case 'LABEL':
      case 'ARG': {
        const pairs = instruction.keyValues ?? [];
        if (pairs.length === 0) {
          say(instruction.name === 'ARG' ? 'ARG needs a name: ARG <name>[=<default>]' : `${instruction.name} needs at least one key=value pair`);
          break;
        }
        if (instruction.keyValueForm !== 'equals') break;
        for (const pair of pairs) {
          if (pair.key.value === '' && pair.value) say(`${instruction.name} names cannot be empty`, pair.range);
        }
        break;
      }
      case 'EXPOSE':
        if (args.length === 0) say('EXPOSE needs at least one port, such as 8080 or 53/udp');
        break;
      case 'VOLUME':
        if (args.length === 0) say('VOLUME needs at least one path');
        for (const path of args) if (path.value.trim() === '') say('A VOLUME path cannot be empty', path.range);
        break;
      case 'ONBUILD':
        if (args.length === 0) say('ONBUILD needs the instruction to run in builds FROM this image');
        break;
      case 'HEALTHCHECK': {
        const type = instruction.healthcheck?.type;
        if (!type) say('HEALTHCHECK needs CMD <command> or NONE');
        else if (type.value.toUpperCase() === 'CMD' && (instruction.healthcheck?.command.length ?? 0) === 0) {
          say('HEALTHCHECK CMD needs the command to run', type.range);
        }
        break;
      }
      case 'SHELL':
        if (args.length === 0 && instruction.json?.nonStringElement !== true) say('SHELL needs the shell to use, such as ["/bin/bash", "-c"]');
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
