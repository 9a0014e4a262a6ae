import type { Rule } from '../types';
import { closest, describeValue, expandedValue, perSyntaxTarget, usesOtherFrontend } from './_syntax';

/** Linux signal names as Docker knows them (moby/sys/signal), without the SIG prefix. */
const SIGNALS = [
  'ABRT', 'ALRM', 'BUS', 'CHLD', 'CLD', 'CONT', 'FPE', 'HUP', 'ILL', 'INT', 'IO', 'IOT', 'KILL', 'PIPE', 'POLL',
  'PROF', 'PWR', 'QUIT', 'SEGV', 'STKFLT', 'STOP', 'SYS', 'TERM', 'TRAP', 'TSTP', 'TTIN', 'TTOU', 'UNUSED', 'URG',
  'USR1', 'USR2', 'VTALRM', 'WINCH', 'XCPU', 'XFSZ', 'RTMIN', 'RTMAX',
  ...Array.from({ length: 15 }, (_, i) => `RTMIN+${i + 1}`),
  ...Array.from({ length: 14 }, (_, i) => `RTMAX-${i + 1}`),
];

export const InvalidStopSignal: Rule = {
  id: 'invalid-stop-signal',
  source: 'syntax',
  severity: 'error',
  summary: 'STOPSIGNAL must be a signal name or a non-zero number.',
  docs: `\`STOPSIGNAL\` sets the signal \`docker stop\` sends to the container. Docker accepts a signal name, with or without the \`SIG\` prefix and in any case (\`SIGTERM\`, \`TERM\`, \`sigquit\`, \`SIGRTMIN+3\`), or a signal number other than 0 (\`9\`). Anything else, such as \`STOPSIGNAL SIGTERMINATE\` or a trailing comment, fails the build with "invalid signal". A signal given by a variable is checked when the variable's value is known.`,
  examples: {
    fire: [
      'FROM alpine:3.20\nSTOPSIGNAL SIGTERMINATE\n',
      'FROM alpine:3.20\nSTOPSIGNAL 0\n',
      'FROM alpine:3.20\nSTOPSIGNAL SIGTERM # graceful\n',
      'FROM alpine:3.20\nARG SIGNAL=SIGFOO\nSTOPSIGNAL $SIGNAL\n',
    ],
    pass: [
      'FROM alpine:3.20\nSTOPSIGNAL SIGTERM\n',
      'FROM alpine:3.20\nSTOPSIGNAL quit\n',
      'FROM alpine:3.20\nSTOPSIGNAL 9\n',
      'FROM alpine:3.20\nSTOPSIGNAL SIGRTMIN+3\n',
      'FROM alpine:3.20\nARG SIGNAL\nSTOPSIGNAL $SIGNAL\n',
    ],
  },
  ...perSyntaxTarget(['STOPSIGNAL'], (instruction, context, report, onbuild) => {
    if (usesOtherFrontend(context)) return;
    const argument = instruction.name === 'STOPSIGNAL' ? instruction.args[0] : undefined;
    if (!argument) return;
    const signal = expandedValue(context, instruction, onbuild, argument.value);
    if (signal === undefined || isValidSignal(signal)) return;
    const name = signal.toUpperCase().replace(/^SIG/, '');
    const suggestion = /^\d+$/.test(signal) ? undefined : closest(name, SIGNALS);
    const comment = /\s#/.test(signal) ? ' (a comment must be on its own line)' : '';
    report({
      range: argument.range,
      message: `Invalid stop signal ${describeValue(argument.value, signal)}${suggestion ? ` (did you mean SIG${suggestion}?)` : ''}: use a signal name such as SIGTERM or a non-zero number${comment}`,
    });
  }),
};

function isValidSignal(signal: string): boolean {
  if (/^[+-]?\d+$/.test(signal)) return Number(signal) !== 0;
  return SIGNALS.includes(signal.toUpperCase().replace(/^SIG/, ''));
}
