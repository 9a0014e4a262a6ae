import type { Instruction } from '../../dockerfile';
import { perInstruction, type RuleContext } from '../context';
import type { Rule } from '../types';
import { isHeredocMarker, stripQuotes } from './_words';

export const DL3045: Rule = {
  id: 'DL3045',
  source: 'hadolint',
  severity: 'warning',
  summary: '`COPY` to a relative destination without `WORKDIR` set.',
  docs: `A relative \`COPY\` destination is resolved against the working directory, which, until the stage sets \`WORKDIR\`, is whatever the base image chose (often \`/\`, sometimes not), so the files may land somewhere you did not expect and move when the base image changes. Set \`WORKDIR\` first, or copy to an absolute path. A \`WORKDIR\` set in a stage this one is built \`FROM\` counts; destinations given by a variable are not reported.`,
  examples: {
    fire: ['FROM node:22\nCOPY package.json .\n', 'FROM golang:1.22 AS build\nWORKDIR /src\nFROM alpine:3.20\nCOPY app bin/app\n'],
    pass: [
      'FROM node:22\nWORKDIR /app\nCOPY package.json .\n',
      'FROM node:22\nCOPY package.json /app/package.json\n',
      'FROM node:22 AS base\nWORKDIR /app\nFROM base\nCOPY . .\n',
      'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY app.exe C:\\app\\app.exe\n',
      'FROM node:22\nARG DEST=/srv\nCOPY dist $DEST\n',
      'FROM node:22\nONBUILD WORKDIR /app\nONBUILD COPY . .\n',
      'FROM node:22\nCOPY app.py <<EOF\nprint(1)\nEOF\n',
    ],
  },
  ...perInstruction({
    names: ['COPY'],
    triggers: true,
    visit: (instruction, context, report, onbuild) => check(context, instruction, onbuild !== undefined, report),
    // An ONBUILD COPY counts the ONBUILD WORKDIRs before it (see workdirForTrigger).
    dependsOn: (instruction) => (instruction.trigger?.name === 'WORKDIR' ? 'ONBUILD WORKDIR' : ''),
  }),
};

function check(context: RuleContext, instruction: Instruction, trigger: boolean, report: Parameters<Rule['check']>[1]): void {
  if (instruction.name !== 'COPY' || instruction.args.length < 2) return;
  const destination = instruction.args[instruction.args.length - 1]!;
  // A here-document is no destination at all (missing-arguments reports that).
  if (isHeredocMarker(instruction, destination)) return;
  const path = stripQuotes(destination.value);
  const first = path.charCodeAt(0);
  // Empty, absolute (`/`, a backslash, a drive such as `c:/`) or a variable: tested by character, as most destinations are `.` or `./`.
  if (path === '' || first === 0x2f || first === 0x5c || first === 0x24 || (path.charCodeAt(1) === 0x3a && isDriveLetter(first) && isSlash(path.charCodeAt(2)))) return;
  if (trigger ? workdirForTrigger(context, instruction) : context.stateAt(instruction).workdir.instruction) return;
  report({ range: destination.range, message: `COPY to the relative path '${path}' without a WORKDIR: set WORKDIR first, or use an absolute destination` });
}

/**
 * An ONBUILD COPY runs in a later build whose base is this stage's final image, so a WORKDIR anywhere in
 * this stage counts, as does an ONBUILD WORKDIR before the trigger.
 */
function workdirForTrigger(context: RuleContext, trigger: Instruction): boolean {
  const stage = context.model.stageAt(trigger.range.start);
  if (!stage) return false;
  if (stage.finalState.workdir.instruction) return true;
  return stage.instructions.some((instruction) => instruction.trigger?.name === 'WORKDIR' && instruction.trigger.range.start < trigger.range.start);
}

const isDriveLetter = (code: number) => (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
const isSlash = (code: number) => code === 0x2f || code === 0x5c;
