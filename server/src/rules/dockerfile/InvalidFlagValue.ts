import { digestError, type Instruction, type InstructionFlag } from '../../dockerfile';
import type { Finding, Fix, Rule } from '../types';
import { acceptedFlags, argumentMeantAsFlagValue, flagValueRange, platformProblem, hasVariable, parseGoBool, perSyntaxTarget, splitCsv, usesOtherFrontend } from './_syntax';

export const InvalidFlagValue: Rule = {
  id: 'invalid-flag-value',
  source: 'syntax',
  severity: 'error',
  summary: 'A flag is missing its value, or has a value Docker rejects.',
  docs: `Docker reads flags strictly. A flag that takes a value must be written \`--name=value\` (\`COPY --from build\` is the flag \`--from\` without a value, followed by an argument \`build\`). Berth offers to join such a flag and the word after it (\`--from=build\`). Boolean flags (\`--link\`, \`--parents\`, \`--keep-git-dir\`, \`--unpack\`, \`ARG --required\`) are written bare or as \`=true\`/\`=false\`. \`RUN --security\` is \`sandbox\` or \`insecure\`; \`RUN --device\` is \`name[,required]\`. \`FROM --platform\` is \`os[/arch[/variant]]\` or a lone OS or architecture (\`linux/amd64\`, \`arm64\`). \`ADD --checksum\` is \`sha256:\`, \`sha384:\` or \`sha512:\` and the digest in lower-case hexadecimal (a git source may take a commit hash). \`COPY --from\` does not expand variables: define a stage \`FROM \${IMAGE} AS source\` and copy from that stage instead. Options that Docker never expands (booleans, \`--security\`) are checked as written, so \`--link=$LINK\` is an error too. Other flag values have their own checks (\`invalid-chmod\`, \`invalid-mount\`, \`invalid-network-mode\`, \`invalid-healthcheck-duration\`, \`invalid-healthcheck-retries\`).`,
  examples: {
    fire: [
      'FROM alpine:3.20\nCOPY --from build /out /out\n',
      'FROM alpine:3.20\nCOPY --link=yes src /app\n',
      'FROM alpine:3.20\nCOPY --link= src /app\n',
      'FROM alpine:3.20\nRUN --security=privileged make\n',
      'FROM alpine:3.20\nRUN --mount make\n',
      'FROM alpine:3.20\nARG STAGE=build\nCOPY --from=${STAGE} /out /out\n',
      'FROM alpine:3.20\nRUN --device=name=a,name=b true\n',
      'FROM alpine:3.20\nRUN --device=gpu,required=maybe true\n',
      'FROM alpine:3.20\nADD --checksum=md5:d41d8cd98f00b204e9800998ecf8427e https://example.com/tool.tgz /tmp/\n',
      'FROM --platform=lnux alpine:3.20\n',
      'FROM --platform=linux/arm64/v8/extra alpine:3.20\n',
    ],
    pass: [
      'FROM alpine:3.20\nCOPY --from=build --link --parents=true src /app\n',
      'FROM alpine:3.20\nCOPY --link=FALSE src /app\n',
      'FROM alpine:3.20\nRUN --security=insecure --device=vendor.com/gpu=all,required make\n',
      'FROM alpine:3.20\nADD --keep-git-dir=true https://example.com/repo.git /src\n',
      'FROM alpine:3.20\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tgz /tmp/\n',
      'FROM alpine:3.20\nCOPY --from=0 /out /out\n',
      'FROM --platform=$BUILDPLATFORM golang:1.23 AS build\nFROM --platform=linux/arm64/v8 alpine:3.20\nFROM --platform=arm64 alpine:3.20\n',
    ],
  },
  ...perSyntaxTarget(undefined, (instruction, context, report) => {
    if (usesOtherFrontend(context)) return;
    const accepted = acceptedFlags(instruction);
    if (!accepted) return;
    for (const flag of instruction.flags) {
      const kind = accepted.get(flag.name);
      if (kind === undefined) continue;
      if (kind === 'bool') {
        checkBool(flag, report);
        continue;
      }
      if (flag.value === undefined) {
        report({ range: flag.range, message: `--${flag.name} needs a value: write --${flag.name}=<value>`, fixes: joinValueFix(instruction, flag, context.model.ast.text) });
        continue;
      }
      if (instruction.name === 'RUN' && flag.name === 'security') {
        if (flag.value !== 'sandbox' && flag.value !== 'insecure') {
          report({
            range: flagValueRange(instruction, flag),
            message: `--security=${flag.value} is not valid: use sandbox or insecure${hasVariable(flag.value) ? ' (Docker does not expand variables here)' : ''}`,
          });
        }
      } else if (instruction.name === 'RUN' && flag.name === 'device') {
        checkDevice(instruction, flag, report);
      } else if (instruction.name === 'FROM' && flag.name === 'platform' && !hasVariable(flag.value)) {
        const problem = platformProblem(flag.value);
        if (problem !== undefined) report({ range: flagValueRange(instruction, flag), message: `--platform=${flag.value} is not a platform Docker can read: ${problem}` });
      } else if (instruction.name === 'ADD' && flag.name === 'checksum' && flag.value.includes(':') && !hasVariable(flag.value)) {
        // `algorithm:hex` for a download; a git source may take a bare commit hash instead, which is left alone.
        const error = digestError(flag.value);
        if (error !== undefined) report({ range: flagValueRange(instruction, flag), message: `--checksum=${flag.value} is not valid: ${error}` });
      } else if (instruction.name === 'COPY' && flag.name === 'from' && hasVariable(flag.value)) {
        report({
          range: flagValueRange(instruction, flag),
          message: 'COPY --from does not expand variables: declare a stage FROM the variable image and copy from that stage',
        });
      }
    }
  }, 'flags'),
};

/**
 * `--from build` → `--from=build`: the word after a last flag written without its value, when
 * only blanks stand between them (not a line break: joining lines is no longer a small edit).
 */
function joinValueFix(instruction: Instruction, flag: InstructionFlag, text: string): Fix[] {
  const argument = argumentMeantAsFlagValue(instruction);
  if (argument === undefined || argument.range.start <= flag.range.end || !BLANKS.test(text.slice(flag.range.end, argument.range.start))) return [];
  const word = /^\S+/.exec(text.slice(argument.range.start, argument.range.end))?.[0];
  if (word === undefined) return [];
  return [{ title: `Write --${flag.name}=${word}`, edits: [{ range: { start: flag.range.end, end: argument.range.start }, newText: '=' }] }];
}

const BLANKS = /^[ \t]+$/;

function checkBool(flag: InstructionFlag, report: (finding: Finding) => void): void {
  if (flag.value === undefined) return;
  const range = flag.valueRange ?? flag.range;
  if (flag.value === '') {
    report({ range: flag.range, message: `--${flag.name}= has an empty value: write --${flag.name}, --${flag.name}=true or --${flag.name}=false` });
  } else if (flag.value.toLowerCase() !== 'true' && flag.value.toLowerCase() !== 'false') {
    report({
      range,
      message: `--${flag.name} expects true or false, not '${flag.value}'${hasVariable(flag.value) ? ' (Docker does not expand variables here)' : ''}`,
    });
  }
}

/** `--device=name[,required[=bool]]`, as BuildKit's ParseDevice reads it. */
function checkDevice(instruction: Instruction, flag: InstructionFlag, report: (finding: Finding) => void): void {
  const fields = splitCsv(flag.value ?? '');
  if (!fields) return;
  let name: string | undefined;
  for (const field of fields) {
    const range = flagValueRange(instruction, flag, field.start, field.end);
    const equals = field.text.indexOf('=');
    const key = (equals < 0 ? field.text : field.text.slice(0, equals)).toLowerCase();
    const value = equals < 0 ? undefined : field.text.slice(equals + 1);
    if (key === 'required') {
      if (value !== undefined && parseGoBool(value) === undefined) report({ range, message: `--device option required expects true or false, not '${value}'` });
      continue;
    }
    if (key === 'name' && value !== undefined) {
      if (name !== undefined) {
        report({ range, message: `--device names the device twice ('${name}' and '${value}')` });
        return;
      }
      name = value;
      continue;
    }
    if (name === undefined) {
      name = field.text;
      continue;
    }
    report({
      range,
      message: value === undefined ? `--device option '${field.text}' must be key=value` : `Unknown --device option '${key}': use name or required`,
    });
    return;
  }
}
