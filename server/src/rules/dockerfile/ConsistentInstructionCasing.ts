import type { Rule } from '../types';

const selfConsistent = (keyword: string) => keyword === keyword.toLowerCase() || keyword === keyword.toUpperCase();

export const ConsistentInstructionCasing: Rule = {
  id: 'ConsistentInstructionCasing',
  source: 'buildkit',
  severity: 'warning',
  summary: 'All instructions in the Dockerfile should use the same casing, all uppercase or all lowercase.',
  docs: `Instruction keywords are case-insensitive, but a file that mixes \`RUN\` and \`run\` (or writes \`Run\`) is harder to scan. Like BuildKit, the casing most instructions use wins (uppercase on a tie), and every keyword written otherwise is reported; the quick fix rewrites the keyword in that casing. ARG instructions before the first FROM are not counted, as in BuildKit.`,
  examples: {
    fire: ['FROM alpine:3.20\nrun echo hello\nCOPY . /app\n', 'from alpine:3.20\nrun echo hello\nCOPY . /app\n', 'FROM alpine:3.20\nRun echo hello\n'],
    pass: ['FROM alpine:3.20\nRUN echo hello\n', 'from alpine:3.20\nrun echo hello\n', 'arg VERSION=3.20\nFROM alpine:${VERSION}\nRUN echo hello\n'],
  },
  check(context, report) {
    // BuildKit counts the instructions of the stages: from the first FROM on, ONBUILD triggers not included.
    // Runs in full after every edit, so it walks the list without copying it, and only once when every keyword is upper case.
    const instructions = context.instructions;
    const first = instructions.findIndex((instruction) => instruction.name === 'FROM');
    if (first < 0) return;
    let lower = 0;
    let upper = 0;
    let other = 0;
    for (let i = first; i < instructions.length; i++) {
      const { keyword, name, known } = instructions[i]!;
      if (!known) continue;
      // A known keyword equal to its upper-cased name is plain upper-case ASCII (the common case, checked cheaply).
      if (keyword === name) {
        upper++;
        continue;
      }
      other++;
      if (!selfConsistent(keyword)) continue;
      if (keyword === keyword.toLowerCase()) lower++;
      else upper++;
    }
    const majorityLower = lower > upper;
    if (!majorityLower && other === 0) return;
    for (let i = first; i < instructions.length; i++) {
      const instruction = instructions[i]!;
      if (!instruction.known) continue;
      const { keyword } = instruction;
      if (!majorityLower && keyword === instruction.name) continue;
      const wanted = majorityLower ? keyword.toLowerCase() : keyword.toUpperCase();
      if (keyword === wanted) continue;
      const casing = majorityLower ? 'lowercase' : 'uppercase';
      const range = instruction.keywordRange;
      // A keyword split by a line continuation is left to the user.
      const fixable = range.end - range.start === keyword.length;
      report({
        range,
        message: `'${keyword}' should be ${casing} like most instructions in this Dockerfile`,
        ...(fixable ? { fixes: [{ title: `Write '${wanted}'`, edits: [{ range, newText: wanted }] }] } : {}),
      });
    }
  },
};
