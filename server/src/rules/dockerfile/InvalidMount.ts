import type { Instruction, InstructionFlag, TextRange } from '../../dockerfile';
import type { Finding, Rule } from '../types';
import {
  closest,
  expandedValue,
  flagValueRange,
  isGoUnitsSize,
  parseGoBool,
  parseGoUint32,
  perSyntaxTarget,
  splitCsv,
  type CsvField,
  type SyntaxTarget,
} from './_syntax';
import type { RuleContext } from '../context';

const MOUNT_TYPES = ['bind', 'cache', 'tmpfs', 'secret', 'ssh'];
const SHARING_MODES = ['shared', 'private', 'locked'];
const KEYS = [
  'type', 'from', 'source', 'src', 'target', 'dst', 'destination', 'readonly', 'ro', 'readwrite', 'rw',
  'id', 'sharing', 'required', 'size', 'mode', 'uid', 'gid', 'env',
];

export const InvalidMount: Rule = {
  id: 'invalid-mount',
  source: 'syntax',
  severity: 'error',
  summary: 'A RUN --mount option is unknown, misplaced or has an invalid value.',
  docs: `\`RUN --mount\` takes comma-separated \`key=value\` options. \`type\` is \`bind\` (the default), \`cache\`, \`tmpfs\`, \`secret\` or \`ssh\`. Every type takes \`target\` (or \`dst\`/\`destination\`); \`from\`, \`source\` (\`src\`) and \`id\` name what is mounted; \`ro\`/\`readonly\` and \`rw\`/\`readwrite\` are booleans. Some options belong to some types only: \`sharing\` (\`shared\`, \`private\` or \`locked\`) to \`cache\`; \`mode\` (octal), \`uid\` and \`gid\` (numbers) to \`cache\`, \`secret\` and \`ssh\`; \`required\` to \`secret\` and \`ssh\`; \`size\` (such as \`64m\`) to \`tmpfs\`; \`env\` to \`secret\`. Docker reads the options in order, so \`type=\` must come before \`required\` or \`size\`. A secret mount needs an \`id\`, \`source\` or \`target\`, cannot name both \`source\` and \`id\`, and takes no \`from\`; \`from\` never expands variables. Option values with variables are checked when their values are known.`,
  examples: {
    fire: [
      'FROM alpine:3.20\nRUN --mount=type=volume,target=/data true\n',
      'FROM alpine:3.20\nRUN --mount=type=cache,target=/root/.cache,sharing=exclusive true\n',
      'FROM alpine:3.20\nRUN --mount=type=bind,target=/src,mode=0755 true\n',
      'FROM alpine:3.20\nRUN --mount=type=cache,taget=/root/.cache true\n',
      'FROM alpine:3.20\nRUN --mount=required,type=secret,id=token true\n',
      'FROM alpine:3.20\nRUN --mount=type=secret true\n',
      'FROM alpine:3.20\nRUN --mount=type=tmpfs,target=/tmp,size=lots true\n',
      'FROM alpine:3.20\nRUN --mount=type=cache,target=/cache,uid=app true\n',
      'FROM alpine:3.20\nARG STAGE=build\nRUN --mount=from=$STAGE,target=/src true\n',
      'FROM alpine:3.20\nRUN --mount=type=bind,target=/src,readonly=sure true\n',
      'FROM alpine:3.20\nRUN --mount=type=secret,id=a,source=b,target=/s true\n',
    ],
    pass: [
      'FROM alpine:3.20\nRUN --mount=type=cache,target=/root/.cache,sharing=locked,id=pip,mode=0755,uid=1000,gid=1000 pip install -r requirements.txt\n',
      'FROM alpine:3.20\nRUN --mount=type=secret,id=token,env=TOKEN,required --mount=type=ssh,required=true git clone git@example.com:a/b.git\n',
      'FROM alpine:3.20\nRUN --mount=target=/src,from=build,source=/out,rw true\n',
      'FROM alpine:3.20\nRUN --mount=type=tmpfs,target=/tmp,size=64m true\n',
      'FROM alpine:3.20\nARG CACHE_TYPE\nRUN --mount=type=$CACHE_TYPE,target=/c,sharing=private true\n',
      'FROM alpine:3.20\nARG DIR=/cache\nRUN --mount=type=cache,target=${DIR} true\n',
      'FROM alpine:3.20\nRUN --mount=type=Cache,target=/c,ro=True true\n',
    ],
  },
  ...perSyntaxTarget(['RUN'], (target, context, report) => {
    for (const flag of target.instruction.flags) {
      if (flag.name === 'mount' && flag.value !== undefined) checkMount(context, target, flag, report);
    }
  }),
};

interface Seen {
  field: CsvField;
  /** Expanded value; undefined when it depends on unknown variables. */
  value: string | undefined;
}

function checkMount(context: RuleContext, target: SyntaxTarget, flag: InstructionFlag, report: (finding: Finding) => void): void {
  const instruction: Instruction = target.instruction;
  const fields = splitCsv(flag.value ?? '');
  if (!fields) return;
  const rangeOf = (field: CsvField): TextRange => flagValueRange(instruction, flag, field.start, field.end);
  const say = (field: CsvField, message: string) => report({ range: rangeOf(field), message });

  // Docker applies options in order; the final type explains an option given before it.
  const finalType = (() => {
    let found: string | undefined = 'bind';
    for (const field of fields) {
      const [key, value] = splitField(field.text);
      if (key === 'type' && value !== undefined) found = expandedValue(context, target, value)?.toLowerCase();
    }
    return found;
  })();

  let type: string | undefined = 'bind';
  let typeKnown = true;
  const seen = new Map<string, Seen>();
  const typeOnly = (field: CsvField, key: string, allowed: string[]): boolean => {
    if (!typeKnown || type === undefined || allowed.includes(type)) return true;
    const order = finalType !== undefined && allowed.includes(finalType) ? ` (put type=${finalType} before ${key}: options apply in order)` : '';
    say(field, `'${key}' is not an option of ${type} mounts${order}`);
    return false;
  };

  for (const field of fields) {
    const [key, raw] = splitField(field.text);
    if (raw === undefined) {
      if (['readonly', 'ro', 'readwrite', 'rw'].includes(key)) continue;
      if (key === 'required') {
        typeOnly(field, key, ['secret', 'ssh']);
        continue;
      }
      say(field, `Mount option '${field.text}' must be key=value`);
      continue;
    }
    if (key === 'from') {
      const dollar = raw.indexOf('$');
      if (dollar >= 0 && dollar !== raw.length - 1) say(field, "The mount option 'from' does not expand variables: define a stage FROM the variable image and mount from that stage");
      seen.set('from', { field, value: raw });
      continue;
    }
    const value = expandedValue(context, target, raw);
    switch (key) {
      case 'type':
        if (value === undefined) {
          typeKnown = false;
        } else if (MOUNT_TYPES.includes(value.toLowerCase())) {
          type = value.toLowerCase();
          typeKnown = true;
        } else {
          const suggestion = closest(value, MOUNT_TYPES);
          say(field, `Unsupported mount type '${value}'${suggestion ? ` (did you mean ${suggestion}?)` : ''}: use bind, cache, tmpfs, secret or ssh`);
          typeKnown = false;
        }
        break;
      case 'source':
      case 'src':
        seen.set('source', { field, value });
        break;
      case 'target':
      case 'dst':
      case 'destination':
        seen.set('target', { field, value });
        break;
      case 'id':
        seen.set('id', { field, value });
        break;
      case 'readonly':
      case 'ro':
      case 'readwrite':
      case 'rw':
        if (value !== undefined && parseGoBool(value) === undefined) say(field, `Mount option '${key}' expects true or false, not '${value}'`);
        break;
      case 'required':
        if (typeOnly(field, key, ['secret', 'ssh']) && value !== undefined && parseGoBool(value) === undefined) {
          say(field, `Mount option 'required' expects true or false, not '${value}'`);
        }
        break;
      case 'size':
        if (typeOnly(field, key, ['tmpfs']) && value !== undefined && !isGoUnitsSize(value)) {
          say(field, `Invalid tmpfs size '${value}': use a number of bytes with an optional unit, such as 64m or 1g`);
        }
        break;
      case 'sharing':
        seen.set('sharing', { field, value });
        if (value !== undefined && !SHARING_MODES.includes(value.toLowerCase())) {
          say(field, `Unsupported sharing mode '${value}': use shared, private or locked`);
        }
        break;
      case 'mode':
        seen.set('mode', { field, value });
        if (value !== undefined && parseGoUint32(value, 8) === undefined) say(field, `Invalid mount mode '${value}': use an octal number such as 0644`);
        break;
      case 'uid':
      case 'gid':
        seen.set(key, { field, value });
        if (value !== undefined && parseGoUint32(value, 10) === undefined) say(field, `Invalid mount ${key} '${value}': use a number`);
        break;
      case 'env':
        break;
      default: {
        const suggestion = closest(key, KEYS);
        say(field, `Unknown mount option '${key}'${suggestion ? ` (did you mean ${suggestion}?)` : ''}`);
      }
    }
  }

  if (!typeKnown || type === undefined) return;
  if (type !== 'secret' && type !== 'ssh' && type !== 'cache') {
    for (const key of ['mode', 'uid', 'gid']) {
      const option = seen.get(key);
      if (option) say(option.field, `'${key}' is not an option of ${type} mounts: only cache, secret and ssh mounts take mode, uid and gid`);
    }
  }
  if (type === 'secret') {
    const from = seen.get('from');
    if (from && from.value !== '') say(from.field, 'A secret mount cannot take from');
    const sharing = seen.get('sharing');
    if (sharing && sharing.value !== '') say(sharing.field, 'A secret mount cannot take sharing');
    const set = (key: string) => {
      const option = seen.get(key);
      return option !== undefined && option.value !== '';
    };
    if (!set('source') && !set('target') && !set('id')) {
      report({ range: flag.valueRange ?? flag.range, message: 'A secret mount needs an id (or a source or target) naming the secret' });
    }
    if (set('source') && set('id')) say(seen.get('id')!.field, 'A secret mount cannot take both source and id: they name the same thing');
  } else {
    const sharing = seen.get('sharing');
    if (sharing && sharing.value !== '' && type !== 'cache') say(sharing.field, `'sharing' is not an option of ${type} mounts: only cache mounts are shared`);
  }
}

/** `key=value` → [lower-cased key, value]; a bare word → [lower-cased word, undefined]. */
function splitField(text: string): [string, string | undefined] {
  const equals = text.indexOf('=');
  return equals < 0 ? [text.toLowerCase(), undefined] : [text.slice(0, equals).toLowerCase(), text.slice(equals + 1)];
}
