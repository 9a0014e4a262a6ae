import { predefinedArg, type Instruction, type InstructionFlag, type KeyValuePair, type Stage, type VariableBinding, type VariableReference } from '../../dockerfile';
import { perInstruction, type RuleContext } from '../context';
import type { Finding, Rule } from '../types';
import { BUILDKIT_DEFAULT_ARGS, suggestName, within } from './_buildkit';
import { setBySameEnv } from './_envPairs';

/** Instructions whose arguments BuildKit expands itself (and so checks); RUN/CMD/ENTRYPOINT text is the shell's business. */
const EXPANDED_ARGUMENTS = new Set(['ENV', 'LABEL', 'ADD', 'COPY', 'WORKDIR', 'USER', 'VOLUME', 'STOPSIGNAL']);
/** Flags BuildKit expands, per instruction. */
const EXPANDED_FLAGS: Record<string, ReadonlySet<string>> = {
  ADD: new Set(['chown', 'checksum']),
  COPY: new Set(['chown']),
  RUN: new Set(['mount']),
};
/** Build arguments BuildKit reads itself and never puts in the environment. */
const NOT_ENVIRONMENT = new Set(['BUILDKIT_SBOM_SCAN_CONTEXT', 'BUILDKIT_SBOM_SCAN_STAGE']);
const DEFAULT_ARGS = new Set(BUILDKIT_DEFAULT_ARGS);

interface StageNames {
  /** Every ARG and ENV name the stage (with its ancestors) declares by its end. */
  all: Set<string>;
  /** The names that are in the build environment (ENV, and ARGs with a value), in order of first declaration. */
  environment: Set<string>;
}

/** A binding that puts a value in the environment: ENV, or an ARG with a default (its own or the global one's). */
function inEnvironment(binding: VariableBinding): boolean {
  if (binding.kind === 'env') return true;
  if (binding.pair?.value) return true;
  if (binding.global?.pair?.value) return true;
  return binding.predefined?.category === 'platform' || DEFAULT_ARGS.has(binding.name);
}

export const UndefinedVar: Rule = {
  id: 'UndefinedVar',
  source: 'buildkit',
  severity: 'warning',
  summary: 'Variables should be declared with ARG or ENV before they are used.',
  docs: `Docker expands \`$VAR\` in \`ENV\`, \`LABEL\`, \`ARG\` defaults, \`COPY\`/\`ADD\` (sources, destination, \`--chown\`, \`--checksum\`, unquoted heredocs), \`WORKDIR\`, \`USER\`, \`VOLUME\`, \`STOPSIGNAL\` and \`RUN --mount\` options, and a variable it does not know expands to nothing: \`COPY app-$VERSION.tar /\` silently copies \`app-.tar\`. Declare the variable first, in the same stage: a global ARG (before the first \`FROM\`) is only visible inside a stage after \`ARG NAME\`, and so are the platform ARGs (\`TARGETARCH\`…); a stage built \`FROM\` another stage sees that stage's ARGs and ENVs. Like BuildKit, the shell-form commands of \`RUN\`, \`CMD\` and \`ENTRYPOINT\` are not checked, since the shell expands them at run time, and a "did you mean" is offered for near misses.

BuildKit also knows the environment of the base image (\`PATH\`, \`JAVA_HOME\`…). Berth does not download images, so in a stage based on an image other than \`scratch\`, a name that is declared nowhere in the Dockerfile and is not one of Docker's predefined build arguments is assumed to come from the image, and is only reported when it looks like a typo of a known name (one edit away in length, closer than three edits). \`PATH\` is always defined.`,
  examples: {
    fire: [
      'FROM alpine:3.20\nCOPY $VERSION/app /app\nARG VERSION=1.0\n',
      'ARG VERSION=1.0\nFROM alpine:3.20\nCOPY app-${VERSION}.tar /opt/\n',
      'FROM alpine:3.20\nARG DIR_ASSETS=assets/\nCOPY $DIR_ASSET /srv/\n',
      'FROM scratch\nCOPY ${SOURCE_DIR} /\n',
      'FROM alpine:3.20\nENV PATH=$PAHT:/opt/bin\n',
      'FROM alpine:3.20\nWORKDIR /src/$TARGETARCH\n',
      'FROM alpine:3.20 AS assets\nARG THEME=dark\nFROM alpine:3.20\nCOPY themes/$THEME /srv/\n',
    ],
    pass: [
      'FROM alpine:3.20\nARG VERSION=1.0\nCOPY app-${VERSION}.tar /opt/\n',
      'ARG VERSION=1.0\nFROM alpine:3.20\nARG VERSION\nCOPY app-${VERSION}.tar /opt/\n',
      'FROM alpine:3.20\nRUN echo "$UNDECLARED_IN_SHELL"\nCMD echo $HOME\n',
      'FROM alpine:3.20 AS base\nARG CONFIG=prod.yaml\nFROM base\nCOPY $CONFIG /etc/app/\n',
      'FROM alpine:3.20 AS base\nARG CONFIG=prod.yaml\nFROM base AS app\nFROM app\nARG CONFIG\nWORKDIR /etc/$CONFIG\n',
      'FROM alpine:3.20\nENV PATH=/opt/bin:$PATH\n',
      'FROM python:3.12\nCOPY requirements.txt $PYTHON_HOME/\n',
      'FROM alpine:3.20\nARG TARGETARCH\nCOPY bin/$TARGETARCH/app /usr/local/bin/\n',
      "FROM alpine:3.20\nCOPY '$literal' /tmp/\n",
      // DL3044's finding: reported once, under the hadolint code.
      'FROM alpine:3.20\nENV APP=/app CONFIG=$APP/config\n',
    ],
  },
  ...perInstruction({
    triggers: false,
    having: 'variables',
    visit(instruction, context, report) {
      // FROM lines are UndefinedArgInFrom's; instructions before the first FROM belong to no stage.
      const references = instruction.variables;
      if (instruction.name === 'FROM') return;
      const expandedFlags = EXPANDED_FLAGS[instruction.name];
      const isArg = instruction.name === 'ARG';
      const expandsArguments = EXPANDED_ARGUMENTS.has(instruction.name);
      // CMD, EXPOSE...: nothing BuildKit expands and checks here.
      if (!expandedFlags && !isArg && !expandsArguments) return;
      const model = context.model;
      let stage: Stage | undefined;
      for (const reference of references) {
        if (reference.expandedBy !== 'builder' || reference.malformed) continue;
        // Checked where BuildKit expands: in the flags it expands, in ARG defaults (keys are taken as written), in the arguments of the others.
        const flag = flagAround(instruction, reference);
        let pair = -1;
        if (flag) {
          if (!expandedFlags?.has(flag.name.toLowerCase())) continue;
        } else if (isArg) {
          pair = defaultAround(instruction, reference);
          if (pair < 0) continue;
        } else if (!expandsArguments) {
          continue;
        }
        stage ??= model.stageOf(instruction);
        if (!stage) return;
        const name = reference.name;
        // Declared by this stage or the stages it is built from, before this instruction: what nearly every reference finds.
        if (name === 'PATH' || model.declaredVariable(name, instruction) !== undefined) continue;
        // Each ARG of the instruction is declared before the next one's default is expanded; ENV (and LABEL) expand all
        // their values before any of them takes effect.
        const before = pair > 0 ? ownBindings(stage, instruction).slice(0, pair) : NO_BINDINGS;
        if (before.some((binding) => binding.name === name)) continue;
        if (NOT_ENVIRONMENT.has(name) || setBySameEnv(instruction, reference)) continue;
        reportUndefined(context, instruction, stage, before, reference, report);
      }
    },
  }),
};

const NO_BINDINGS: readonly VariableBinding[] = [];

/** The flag whose text holds `reference`, if any. */
function flagAround(instruction: Instruction, reference: VariableReference): InstructionFlag | undefined {
  for (const flag of instruction.flags) if (within(reference.range, flag.range)) return flag;
  return undefined;
}

/** The index of the ARG pair whose default holds `reference`; -1 when none does. */
function defaultAround(instruction: Instruction, reference: VariableReference): number {
  const pairs = instruction.keyValues ?? NO_PAIRS;
  for (let index = 0; index < pairs.length; index++) {
    const value = pairs[index]!.value;
    if (value && within(reference.range, value.range)) return index;
  }
  return -1;
}

const NO_PAIRS: readonly KeyValuePair[] = [];

/** The ARG bindings `instruction` declares, one per pair, in order. */
function ownBindings(stage: Stage, instruction: Instruction): VariableBinding[] {
  return stage.args.filter((binding) => binding.instruction === instruction);
}

/**
 * Reports a reference to a name not declared in its stage by then; quiet when
 * the name may come from the base image's unknown environment.
 * `before` are the bindings the instruction itself declared before the reference.
 */
function reportUndefined(
  context: RuleContext,
  instruction: Instruction,
  stage: Stage,
  before: readonly VariableBinding[],
  reference: VariableReference,
  report: (finding: Finding) => void,
): void {
  const model = context.model;
  const name = reference.name;
  const file = fileNames(context);
  const scope = stageScope(context, stage);
  // The names in the environment by then, for "did you mean": the base stages', then this stage's ARG and ENV so far.
  const environment = new Set<string>(scope.base?.environment ?? ['PATH']);
  for (const declared of scope.declarations) {
    if (declared.instruction.range.start >= instruction.range.start) break;
    for (const binding of declared.bindings) if (inEnvironment(binding)) environment.add(binding.name);
  }
  for (const binding of before) if (inEnvironment(binding)) environment.add(binding.name);
  const suggestion = suggestName(name, environment);
  const predefined = predefinedArg(name) !== undefined || DEFAULT_ARGS.has(name);
  const global = model.globalArgs.some((binding) => binding.name === name);
  // With the base image's environment unknown, a name found nowhere in the file may be the image's
  // (GOPATH, JAVA_HOME…): report it only when it looks like a typo of a known name.
  const typo = suggestion !== undefined && Math.abs(suggestion.length - name.length) <= 1;
  if (!scope.knownEnvironment && !typo && !predefined && !file.declaredAnywhere.has(name)) return;
  let hint = '';
  if (global) hint = `: the global ARG ${name} must be redeclared in this stage with ARG ${name}`;
  else if (predefined) hint = `: declare ARG ${name} in this stage to use it`;
  else if (file.declaredAnywhere.has(name)) hint = ': it is declared elsewhere in the Dockerfile, but not in this stage before this point';
  report({
    range: reference.range,
    message: `Variable $${name} is not defined here${hint}${suggestion ? ` (did you mean $${suggestion}?)` : ''}`,
  });
}

/** What the whole file declares (from the state instructions), shared by every instruction checked in a run. */
function fileNames(context: RuleContext): { bindingsOf: Map<Instruction, VariableBinding[]>; declaredAnywhere: Set<string> } {
  return context.memo(fileNames, () => {
    const model = context.model;
    const bindingsOf = new Map<Instruction, VariableBinding[]>();
    for (const stage of model.stages) {
      for (const binding of [...stage.args, ...stage.env]) {
        if (!binding.instruction) continue;
        const list = bindingsOf.get(binding.instruction);
        if (list) list.push(binding);
        else bindingsOf.set(binding.instruction, [binding]);
      }
    }
    /** Names declared anywhere in the file: a use of one of them out of its scope is a scoping mistake, not the base image's. */
    const declaredAnywhere = new Set<string>(model.globalArgs.map((binding) => binding.name));
    for (const list of bindingsOf.values()) for (const binding of list) declaredAnywhere.add(binding.name);
    return { bindingsOf, declaredAnywhere };
  });
}

interface StageScope {
  /** What the base stage (and its ancestors) declare by their end. */
  base: StageNames | undefined;
  /** The stage's ARG and ENV instructions with their bindings, in order. */
  declarations: { instruction: Instruction; bindings: VariableBinding[] }[];
  /** Only a stage that starts from scratch has an environment fully known here. */
  knownEnvironment: boolean;
}

function stageScope(context: RuleContext, stage: Stage): StageScope {
  const scopes = context.memo(stageScope, () => new Map<Stage, StageScope>());
  let scope = scopes.get(stage);
  if (scope) return scope;
  const { bindingsOf } = fileNames(context);
  const declarations: StageScope['declarations'] = [];
  for (const instruction of stage.instructions) {
    const bindings = bindingsOf.get(instruction);
    if (bindings) declarations.push({ instruction, bindings });
  }
  let root = stage;
  for (let depth = 0; root.base.stage && depth < 64; depth++) root = root.base.stage;
  scope = { base: stage.base.stage ? namesOf(context, stage.base.stage) : undefined, declarations, knownEnvironment: root.base.scratch };
  scopes.set(stage, scope);
  return scope;
}

/** The names a stage declares by its end, its ancestors' included. */
function namesOf(context: RuleContext, stage: Stage, depth = 0): StageNames {
  const names = context.memo(namesOf, () => new Map<Stage, StageNames>());
  const cached = names.get(stage);
  if (cached) return cached;
  const inherited = stage.base.stage && depth < 64 ? namesOf(context, stage.base.stage, depth + 1) : undefined;
  const own: StageNames = { all: new Set(inherited?.all ?? ['PATH']), environment: new Set(inherited?.environment ?? ['PATH']) };
  const { bindingsOf } = fileNames(context);
  for (const instruction of stage.instructions) {
    for (const binding of bindingsOf.get(instruction) ?? []) {
      own.all.add(binding.name);
      if (inEnvironment(binding)) own.environment.add(binding.name);
    }
  }
  names.set(stage, own);
  return own;
}
