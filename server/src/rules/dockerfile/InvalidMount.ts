import type { Instruction, InstructionFlag } from '../../dockerfile';
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
  usesOtherFrontend,
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
  ...perSyntaxTarget(['RUN'], (instruction, context, report, onbuild) => {
    if (usesOtherFrontend(context)) return;
    for (const flag of instruction.flags) {
      if (flag.name === 'mount' && flag.value !== undefined) checkMount(context, instruction, onbuild, flag, report);
    }
  }, 'flags'),
};

interface Seen {
  field: CsvField;
  /** Expanded value; undefined when it depends on unknown variables. */
  value: string | undefined;
}

/** Where a mount is read: what a finding about one of its fields needs. */
interface Mount {
  context: RuleContext;
  instruction: Instruction;
  onbuild: Instruction | undefined;
  flag: InstructionFlag;
  fields: CsvField[];
  report: (finding: Finding) => void;
  /** The type set so far (`bind` until a `type=`); undefined when unknown. */
  type: string | undefined;
  typeKnown: boolean;
}

/** Whether `key` may be given to a mount of the type set so far; says why not when it may not. */
function typeOnly(mount: Mount, field: CsvField, key: string, allowed: readonly string[]): boolean {
  const type = mount.type;
  if (!mount.typeKnown || type === undefined || allowed.includes(type)) return true;
  const last = finalType(mount);
  const order = last !== undefined && allowed.includes(last) ? ` (put type=${last} before ${key}: options apply in order)` : '';
  say(mount, field, `'${key}' is not an option of ${type} mounts${order}`);
  return false;
}

function say(mount: Mount, field: CsvField, message: string): void {
  mount.report({ range: flagValueRange(mount.instruction, mount.flag, field.start, field.end), message });
}

function checkMount(context: RuleContext, instruction: Instruction, onbuild: Instruction | undefined, flag: InstructionFlag, report: (finding: Finding) => void): void {
  const fields = splitCsv(flag.value ?? '');
  if (!fields) return;
  const mount: Mount = { context, instruction, onbuild, flag, fields, report, type: 'bind', typeKnown: true };

  // The options later checks compare, by the name Docker files them under.
  let from: Seen | undefined;
  let source: Seen | undefined;
  let target: Seen | undefined;
  let id: Seen | undefined;
  let sharing: Seen | undefined;
  let mode: Seen | undefined;
  let uid: Seen | undefined;
  let gid: Seen | undefined;
  for (const field of fields) {
    const text = field.text;
    const equals = text.indexOf('=');
    const key = (equals < 0 ? text : text.slice(0, equals)).toLowerCase();
    if (equals < 0) {
      if (key === 'readonly' || key === 'ro' || key === 'readwrite' || key === 'rw') continue;
      if (key === 'required') {
        typeOnly(mount, field, key, SECRET_OR_SSH);
        continue;
      }
      say(mount, field, `Mount option '${text}' must be key=value`);
      continue;
    }
    const raw = text.slice(equals + 1);
    if (key === 'from') {
      const dollar = raw.indexOf('$');
      if (dollar >= 0 && dollar !== raw.length - 1) say(mount, field, "The mount option 'from' does not expand variables: define a stage FROM the variable image and mount from that stage");
      from = { field, value: raw };
      continue;
    }
    const value = expandedValue(context, instruction, onbuild, raw);
    switch (key) {
      case 'type':
        if (value === undefined) {
          mount.typeKnown = false;
        } else {
          const lower = value.toLowerCase();
          if (MOUNT_TYPES.includes(lower)) {
            mount.type = lower;
            mount.typeKnown = true;
          } else {
            const suggestion = closest(value, MOUNT_TYPES);
            say(mount, field, `Unsupported mount type '${value}'${suggestion ? ` (did you mean ${suggestion}?)` : ''}: use bind, cache, tmpfs, secret or ssh`);
            mount.typeKnown = false;
          }
        }
        break;
      case 'source':
      case 'src':
        source = { field, value };
        break;
      case 'target':
      case 'dst':
      case 'destination':
        target = { field, value };
        break;
      case 'id':
        id = { field, value };
        break;
      case 'readonly':
      case 'ro':
      case 'readwrite':
      case 'rw':
        if (value !== undefined && parseGoBool(value) === undefined) say(mount, field, `Mount option '${key}' expects true or false, not '${value}'`);
        break;
      case 'required':
        if (typeOnly(mount, field, key, SECRET_OR_SSH) && value !== undefined && parseGoBool(value) === undefined) {
          say(mount, field, `Mount option 'required' expects true or false, not '${value}'`);
        }
        break;
      case 'size':
        if (typeOnly(mount, field, key, TMPFS) && value !== undefined && !isGoUnitsSize(value)) {
          say(mount, field, `Invalid tmpfs size '${value}': use a number of bytes with an optional unit, such as 64m or 1g`);
        }
        break;
      case 'sharing':
        sharing = { field, value };
        if (value !== undefined && !SHARING_MODES.includes(value.toLowerCase())) {
          say(mount, field, `Unsupported sharing mode '${value}': use shared, private or locked`);
        }
        break;
      case 'mode':
        mode = { field, value };
        if (value !== undefined && parseGoUint32(value, 8) === undefined) say(mount, field, `Invalid mount mode '${value}': use an octal number such as 0644`);
        break;
      case 'uid':
      case 'gid':
        if (key === 'uid') uid = { field, value };
        else gid = { field, value };
        if (value !== undefined && parseGoUint32(value, 10) === undefined) say(mount, field, `Invalid mount ${key} '${value}': use a number`);
        break;
      case 'env':
        break;
      default: {
        const suggestion = closest(key, KEYS);
        say(mount, field, `Unknown mount option '${key}'${suggestion ? ` (did you mean ${suggestion}?)` : ''}`);
      }
    }
  }

  const type = mount.type;
  if (!mount.typeKnown || type === undefined) return;
  if (type !== 'secret' && type !== 'ssh' && type !== 'cache') {
    const only = `is not an option of ${type} mounts: only cache, secret and ssh mounts take mode, uid and gid`;
    if (mode) say(mount, mode.field, `'mode' ${only}`);
    if (uid) say(mount, uid.field, `'uid' ${only}`);
    if (gid) say(mount, gid.field, `'gid' ${only}`);
  }
  if (type === 'secret') {
    if (from && from.value !== '') say(mount, from.field, 'A secret mount cannot take from');
    if (sharing && sharing.value !== '') say(mount, sharing.field, 'A secret mount cannot take sharing');
    const hasSource = source !== undefined && source.value !== '';
    const hasId = id !== undefined && id.value !== '';
    if (!hasSource && !(target !== undefined && target.value !== '') && !hasId) {
      report({ range: flag.valueRange ?? flag.range, message: 'A secret mount needs an id (or a source or target) naming the secret' });
    }
    if (hasSource && hasId) say(mount, id!.field, 'A secret mount cannot take both source and id: they name the same thing');
  } else {
    if (sharing && sharing.value !== '' && type !== 'cache') say(mount, sharing.field, `'sharing' is not an option of ${type} mounts: only cache mounts are shared`);
  }
}

const SECRET_OR_SSH: readonly string[] = ['secret', 'ssh'];
const TMPFS: readonly string[] = ['tmpfs'];

/** The mount's type once all its options apply (Docker applies them in order, so it explains an option given before it). */
function finalType(mount: Mount): string | undefined {
  let found: string | undefined = 'bind';
  for (const field of mount.fields) {
    const text = field.text;
    const equals = text.indexOf('=');
    if (equals >= 0 && text.slice(0, equals).toLowerCase() === 'type') {
      found = expandedValue(mount.context, mount.instruction, mount.onbuild, text.slice(equals + 1))?.toLowerCase();
    }
  }
  return found;
}
