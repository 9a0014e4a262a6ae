/**
 * Hover for Dockerfiles: what the thing under the mouse is, from the same
 * model the linter uses.
 * - a variable use or declaration: the value it has at that point as far as it
 *   can be known (ARG defaults, ENV values, a global ARG redeclared in the
 *   stage, ARG and ENV inherited through `FROM <stage>`), or why it cannot be known
 *   (set by the builder, given only with `--build-arg`, depends on the base
 *   image), and where it was declared;
 * - a stage name (`AS x`, `FROM x`, `--from=x`, `from=x`): index, base,
 *   platform, which stages it uses and which use it;
 * - a base image in FROM: the local image's size, creation date and exposed
 *   ports when the client told us about it (`images`), else the parts of the
 *   reference (registry, repository, tag, digest);
 * - an instruction keyword, flag, `--mount` option or HEALTHCHECK type, and a
 *   parser directive: what it does (instructionDocs.ts).
 */

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver-types';
import {
  mountFieldEnd,
  predefinedArg,
  splitImageReference,
  type DockerfileModel,
  type Instruction,
  type InstructionFlag,
  type ParserDirective,
  type Stage,
  type StageReference,
  type TextRange,
  type VariableBinding,
} from '../dockerfile';
import {
  HEALTHCHECK_TYPES,
  MOUNT_OPTIONS,
  MOUNT_TYPES,
  PARSER_DIRECTIVES,
  flagDoc,
  instructionDoc,
  type InstructionDoc,
} from './instructionDocs';
import { instructionBefore, type KnownImage } from './completion';
import { occurrenceAt, toRange, type Occurrence } from './navigation';

/** A local image as the client reports it (`berth/knownImages`): the type completion uses. */
export type ImageInfo = KnownImage;

const MAX_VALUE_LENGTH = 200;

export function dockerfileHover(
  document: TextDocument,
  model: DockerfileModel,
  position: Position,
  images: readonly ImageInfo[] = [],
): Hover | null {
  const offset = document.offsetAt(position);
  const found = hoverAt(model, offset, images);
  if (!found) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: found.markdown },
    range: toRange(document, found.range),
  };
}

interface Found {
  markdown: string;
  range: TextRange;
}

function hoverAt(model: DockerfileModel, offset: number, images: readonly ImageInfo[]): Found | undefined {
  for (const directive of model.ast.directives) {
    if (contains(directive.range, offset)) return { markdown: directiveHover(model, directive), range: directive.range };
  }
  const occurrence = occurrenceAt(model, offset, true);
  if (occurrence) {
    const markdown =
      occurrence.symbol?.kind === 'stage'
        ? stageHover(model, occurrence.symbol.stage, occurrence)
        : variableHover(model, occurrence);
    return { markdown, range: occurrence.range };
  }
  const instruction = instructionBefore(model, offset);
  return instruction && contains(instruction.range, offset) ? instructionPartHover(model, instruction, offset, images) : undefined;
}

function contains(range: TextRange, offset: number): boolean {
  return range.start <= offset && offset < range.end;
}

// ---- Markdown helpers -------------------------------------------------------

/** Inline code that survives backticks in the text. */
function code(text: string): string {
  const shown = text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH)}…` : text;
  if (shown === '') return '`""`';
  let fence = '`';
  while (shown.includes(fence)) fence += '`';
  const pad = shown.startsWith('`') || shown.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

function lineOf(model: DockerfileModel, offset: number): number {
  return model.ast.lineIndex.positionAt(offset).line + 1;
}

function stageLabel(stage: Stage): string {
  return stage.nameToken ? `stage ${code(stage.nameToken.value)}` : `stage ${stage.index}`;
}

function rootIsExternal(stage: Stage): boolean {
  let root = stage;
  for (let guard = 0; root.base.stage && guard < 1000; guard++) root = root.base.stage;
  return !root.base.scratch;
}

// ---- variables ------------------------------------------------------------

function variableHover(model: DockerfileModel, occurrence: Occurrence): string {
  const binding = occurrence.binding;
  if (!binding) return undeclaredHover(model, occurrence);
  const lines: string[] = [];
  const shown = occurrence.role === 'reference' ? code(`$${binding.name}`) : code(binding.name);
  lines.push(`${shown} — ${kindLabel(binding)}`);
  lines.push('');
  lines.push(valueSentence(model, binding, occurrence.role === 'declaration'));
  const where = declarationSentence(model, binding, occurrence);
  if (where) {
    lines.push('');
    lines.push(where);
  }
  if (occurrence.reference?.expandedBy === 'shell') {
    lines.push('');
    lines.push('Expanded by the shell when the command runs.');
  }
  return lines.join('\n');
}

function kindLabel(binding: VariableBinding): string {
  if (binding.kind === 'env') return '**environment variable** (ENV)';
  const predefined = binding.predefined ?? (binding.kind === 'predefined' ? predefinedArg(binding.name) : undefined);
  if (predefined?.category === 'platform') return '**build argument set by the builder**';
  if (predefined?.category === 'proxy') return '**predefined proxy build argument**';
  if (predefined) return '**build argument read by the builder**';
  return binding.scope === 'global' ? '**global build argument** (ARG)' : '**build argument** (ARG)';
}

/** "Value here: …" or why it is not known. */
function valueSentence(model: DockerfileModel, binding: VariableBinding, declaration: boolean): string {
  const predefined = binding.predefined ?? (binding.kind === 'predefined' ? predefinedArg(binding.name) : undefined);
  const label = declaration ? (binding.kind === 'arg' ? 'Default' : 'Value') : 'Value here';
  if (predefined) {
    const when =
      predefined.category === 'platform'
        ? 'Set by the builder for each build; known only when building.'
        : predefined.category === 'proxy'
          ? 'Given with `--build-arg` (empty otherwise) and kept out of the image history.'
          : 'Given with `--build-arg`; the builder reads it to configure itself.';
    const known = binding.value !== undefined ? ` ${label}: ${code(binding.value)}.` : '';
    return `${predefined.description} ${when}${known}`;
  }
  const buildArg = `\`--build-arg ${binding.name}=…\``;
  const override = binding.kind === 'arg' ? ` (${buildArg} overrides it)` : '';
  const source = binding.global ?? binding;
  // An `ARG NAME` without a default that keeps an earlier or inherited value has a value all the same.
  if (binding.kind === 'arg' && source.kind === 'arg' && !source.pair?.value && binding.value === undefined) {
    return declaration ? `No default: empty unless given with ${buildArg}.` : `Value here: empty unless given with ${buildArg} (no default).`;
  }
  if (binding.value !== undefined) return `${label}: ${code(binding.value)}${override}`;
  return `${label}: not known before the build — ${unknownReason(model, binding)}.`;
}

function unknownReason(model: DockerfileModel, binding: VariableBinding, depth = 0): string {
  if (binding.global && depth < 4) return unknownReason(model, binding.global, depth + 1);
  const value = binding.pair?.value;
  if (!value || !binding.instruction) {
    return binding.kind === 'arg'
      ? `it has no default, so it is empty unless given with \`--build-arg ${binding.name}=…\``
      : 'its value is missing';
  }
  const expansion = model.expand(value.value, binding.instruction);
  if (expansion.error) return `its value cannot be expanded: ${expansion.error}`;
  if (expansion.unknown.length > 0) {
    return `it depends on ${expansion.unknown.map((name) => code(`$${name}`)).join(', ')}, whose value is not known here`;
  }
  return 'its value cannot be worked out statically';
}

const REDECLARING_STAGES = new WeakMap<DockerfileModel, Map<string, Stage[]>>();

/** For each global ARG name, the stages that redeclare it: computed once per model, not on every hover. */
function redeclaringStages(model: DockerfileModel): Map<string, Stage[]> {
  let byName = REDECLARING_STAGES.get(model);
  if (byName) return byName;
  byName = new Map();
  for (const stage of model.stages) {
    const names = new Set<string>();
    for (const arg of stage.args) if (arg.global) names.add(arg.global.name);
    for (const name of names) {
      const list = byName.get(name);
      if (list) list.push(stage);
      else byName.set(name, [stage]);
    }
  }
  REDECLARING_STAGES.set(model, byName);
  return byName;
}

function declarationSentence(model: DockerfileModel, binding: VariableBinding, occurrence: Occurrence): string | undefined {
  const instruction = binding.instruction;
  if (!instruction) {
    return binding.kind === 'predefined'
      ? `Usable here without an ARG instruction${binding.scope === 'global' ? ' (FROM lines see it directly; a stage needs `ARG ' + binding.name + '`)' : ''}.`
      : undefined;
  }
  const parts: string[] = [];
  const line = lineOf(model, instruction.range.start);
  const here = model.stageOf(occurrence.instruction);
  const declaredIn = model.stageOf(instruction);
  const keyword = binding.kind === 'env' ? 'ENV' : 'ARG';
  if (occurrence.role === 'reference') {
    if (binding.scope === 'global') {
      parts.push(`Declared on line ${line} by \`${keyword}\`, before the first FROM.`);
    } else if (binding.inheritedFrom && declaredIn && declaredIn !== here) {
      parts.push(`Set on line ${line} in ${stageLabel(declaredIn)} and inherited through \`FROM\`.`);
    } else {
      parts.push(`Declared on line ${line} by \`${keyword}\`${declaredIn && declaredIn !== here ? ` in ${stageLabel(declaredIn)}` : ''}.`);
    }
  } else if (binding.scope === 'global') {
    parts.push('Declared before the first FROM: usable in FROM lines; a stage sees it only after its own `ARG ' + binding.name + '`.');
    const redeclared = redeclaringStages(model).get(binding.name) ?? [];
    if (redeclared.length > 0) parts.push(`Redeclared in ${redeclared.map(stageLabel).join(', ')}.`);
  } else if (binding.kind === 'env') {
    parts.push('Kept in the image: later instructions, stages built from this one and containers see it.');
  } else {
    parts.push('Visible while building to the instructions after it and to stages built from this one; not kept in the image.');
  }
  if (binding.global?.instruction) {
    const globalLine = lineOf(model, binding.global.instruction.range.start);
    parts.push(`Redeclares the global \`ARG ${binding.name}\` on line ${globalLine}, which supplies its default.`);
  }
  return parts.join(' ');
}

/** A `$NAME` no ARG/ENV stands behind: say why, and what it expands to. */
function undeclaredHover(model: DockerfileModel, occurrence: Occurrence): string {
  const name = occurrence.text;
  const head = `${code(`$${name}`)} — **not declared here**`;
  const instruction = occurrence.instruction;
  const stage = model.stageOf(instruction);
  const inFromLine = !stage || instruction.name === 'FROM';
  const predefined = predefinedArg(name);
  const global = [...model.globalArgs].reverse().find((binding) => binding.name === name);
  const later = stage?.args.concat(stage.env).find((binding) => binding.name === name && binding.instruction && binding.instruction.range.start > instruction.range.start);
  const declaresItself = (instruction.name === 'ENV' || instruction.name === 'ARG') && stage?.args.concat(stage.env).some((binding) => binding.name === name && binding.instruction === instruction);
  let body: string;
  if (declaresItself && !inFromLine) {
    body = `This ${instruction.name} sets it, but its values are expanded with what was in effect before it, when no ARG or ENV of this Dockerfile had set it: ${
      stage && rootIsExternal(stage) ? 'the base image\'s environment may provide it; otherwise it is empty.' : 'it is empty.'
    }`;
  } else if (inFromLine) {
    body = stage && stage.args.concat(stage.env).some((binding) => binding.name === name)
      ? 'FROM lines only see ARGs declared before the first FROM; here it expands to an empty string.'
      : 'No ARG before the first FROM declares it, so it expands to an empty string.';
  } else if (predefined && predefined.category === 'platform') {
    body = `${predefined.description} The builder sets it, but a stage sees it only after \`ARG ${name}\`; here it expands to an empty string.`;
  } else if (global) {
    const line = lineOf(model, global.instruction?.range.start ?? 0);
    body = `The global \`ARG ${name}\` on line ${line} is not visible in a stage until the stage redeclares it with \`ARG ${name}\`.`;
  } else if (later?.instruction) {
    body = `It is declared later, on line ${lineOf(model, later.instruction.range.start)}, and not visible yet.`;
  } else if (occurrence.reference?.expandedBy === 'shell') {
    body = 'No ARG or ENV of this Dockerfile declares it: the shell expands it when the command runs (a variable of the script, or of the base image\'s environment).';
  } else if (stage && rootIsExternal(stage)) {
    body = 'No ARG or ENV of this Dockerfile declares it: the base image\'s environment may set it; otherwise it expands to an empty string.';
  } else {
    body = 'No ARG or ENV declares it, so it expands to an empty string.';
  }
  return `${head}\n\n${body}`;
}

// ---- stages ---------------------------------------------------------------

const USE_KIND: Record<StageReference['kind'], string> = {
  from: '`FROM`',
  'copy-from': '`--from`',
  'mount-from': '`--mount` from',
};

function stageHover(model: DockerfileModel, stage: Stage, occurrence: Occurrence): string {
  const lines: string[] = [];
  const title = stage.nameToken ? `**Stage ${code(stage.nameToken.value)}**` : `**Stage ${stage.index}**`;
  const position = `index ${stage.index}, line ${lineOf(model, stage.from.range.start)}`;
  lines.push(`${title} (${position})`);
  if (occurrence.fixed === 'index') lines.push('', `Referred to by its index ${code(occurrence.text)}.`);
  lines.push('', `Base: ${baseDescription(model, stage)}`);
  if (stage.platform) {
    const platform = stage.platform.value ?? stage.platform.raw;
    lines.push('', `Platform: ${code(platform)}${stage.platform.value === undefined ? ' (known only when building)' : ''}`);
  }
  const uses = stage.uses.filter((use) => use.kind !== 'from');
  if (uses.length > 0) {
    lines.push('', `Uses: ${uses.map((use) => `${stageLabel(use.stage)} (${USE_KIND[use.kind]}, line ${lineOf(model, use.range.start)})`).join(', ')}`);
  }
  if (stage.usedBy.length > 0) {
    lines.push('', `Used by: ${stage.usedBy.map((use) => `${stageLabel(use.user)} (${USE_KIND[use.kind]}, line ${lineOf(model, use.range.start)})`).join(', ')}`);
  } else if (stage.index === model.stages.length - 1) {
    lines.push('', 'The last stage: what the build produces unless `--target` names another.');
  } else {
    lines.push('', 'No other stage uses it; it is built only when `--target` names it (or by the legacy builder).');
  }
  return lines.join('\n');
}

function baseDescription(model: DockerfileModel, stage: Stage): string {
  const base = stage.base;
  if (base.stage) return `${stageLabel(base.stage)} (line ${lineOf(model, base.stage.from.range.start)})`;
  if (base.scratch) return '`scratch` (an empty file system)';
  if (!base.raw) return 'missing';
  if (base.value === undefined) return `image ${code(base.raw)} (not known before the build)`;
  return base.value === base.raw ? `image ${code(base.raw)}` : `image ${code(base.value)} (written ${code(base.raw)})`;
}

// ---- parts of an instruction ------------------------------------------------

function instructionPartHover(model: DockerfileModel, instruction: Instruction, offset: number, images: readonly ImageInfo[]): Found | undefined {
  for (let current: Instruction | undefined = instruction; current; current = current.trigger) {
    if (contains(current.keywordRange, offset)) {
      const doc = instructionDoc(current.name);
      return doc ? { markdown: instructionMarkdown(current.name, doc), range: current.keywordRange } : undefined;
    }
    for (const flag of current.flags) {
      if (!contains(flag.range, offset)) continue;
      return flagHover(current, flag, offset);
    }
    const healthcheckType = current.healthcheck?.type;
    if (healthcheckType && contains(healthcheckType.range, offset)) {
      const type = HEALTHCHECK_TYPES[healthcheckType.value.toUpperCase()];
      return type ? { markdown: `\`HEALTHCHECK ${healthcheckType.value.toUpperCase()}\` — ${type.summary}`, range: healthcheckType.range } : undefined;
    }
    const image = current.name === 'FROM' ? current.from?.image : undefined;
    if (image && contains(image.range, offset)) {
      const owner = model.stageOf(current);
      const stage = owner?.from === current ? owner : undefined;
      return { markdown: imageHover(model, stage, image.value, images), range: image.range };
    }
    const asKeyword = current.from?.asKeyword;
    if (asKeyword && contains(asKeyword.range, offset)) {
      return { markdown: '`AS` names the stage, so later `FROM`, `COPY --from` and `RUN --mount=from=` can use it.', range: asKeyword.range };
    }
  }
  return undefined;
}

function instructionMarkdown(name: string, doc: InstructionDoc): string {
  const lines = [`**${name}** — ${doc.summary}`];
  if (doc.deprecated) lines.push('', '_Deprecated._');
  lines.push('', doc.description);
  if (doc.forms.length > 0) {
    lines.push('', '```dockerfile', ...doc.forms.map((form) => form.label), '```');
  }
  return lines.join('\n');
}

function flagHover(instruction: Instruction, flag: InstructionFlag, offset: number): Found | undefined {
  if (flag.name === 'mount' && flag.valueRange && offset >= flag.valueRange.start) {
    const option = mountOptionHover(instruction, flag, offset);
    if (option) return option;
  }
  const doc = flagDoc(instruction.name, flag.name);
  if (!doc) return undefined;
  const lines = [`**--${flag.name}** (${instruction.name}) — ${doc.summary}`];
  if (doc.values && doc.values.length > 0 && doc.kind !== 'bool') {
    lines.push('', `Values: ${doc.values.map((value) => code(value)).join(', ')}`);
  }
  const onName = !flag.valueRange || offset < flag.valueRange.start;
  const range = onName ? { start: flag.range.start, end: flag.nameRange.end } : flag.range;
  return { markdown: lines.join('\n'), range };
}

/** `type=cache` and friends inside a `--mount=` value (one physical line). */
function mountOptionHover(instruction: Instruction, flag: InstructionFlag, offset: number): Found | undefined {
  const valueRange = flag.valueRange;
  const logicalRange = flag.valueLogicalRange;
  if (!valueRange || !logicalRange) return undefined;
  const text = instruction.logical.text;
  for (let fieldStart = logicalRange.start; fieldStart <= logicalRange.end; ) {
    const i = mountFieldEnd(text, fieldStart, logicalRange.end);
    const field = instruction.logical.sourceRange(fieldStart, i);
    if (field.start <= offset && offset < field.end) {
      const written = text.slice(fieldStart, i);
      const equals = written.indexOf('=');
      const key = (equals < 0 ? written : written.slice(0, equals)).trim().toLowerCase();
      const keyRange = instruction.logical.sourceRange(fieldStart, equals < 0 ? i : fieldStart + equals);
      if (offset < keyRange.end || equals < 0) {
        const option = Object.hasOwn(MOUNT_OPTIONS, key) ? MOUNT_OPTIONS[key] : undefined;
        if (!option) return undefined;
        const types = option.types.map((type) => code(type)).join(', ');
        return { markdown: `**${key}** (\`--mount\` option) — ${option.summary}\n\nFor mounts of type ${types}.`, range: keyRange };
      }
      if (key === 'type') {
        const value = written.slice(equals + 1).trim().toLowerCase();
        const type = Object.hasOwn(MOUNT_TYPES, value) ? MOUNT_TYPES[value] : undefined;
        const valueStart = fieldStart + equals + 1;
        return type ? { markdown: `**type=${value}** — ${type.summary}`, range: instruction.logical.sourceRange(valueStart, i) } : undefined;
      }
      return undefined;
    }
    fieldStart = i + 1;
  }
  return undefined;
}

// ---- images ---------------------------------------------------------------

interface ImageParts {
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

function imageParts(reference: string): ImageParts {
  const split = splitImageReference(reference);
  const name = reference.slice(split.name[0], split.name[1]);
  const parts: ImageParts = { repository: name };
  const slash = name.indexOf('/');
  if (slash > 0) {
    const first = name.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      parts.registry = first;
      parts.repository = name.slice(slash + 1);
    }
  }
  if (split.tag) parts.tag = reference.slice(split.tag[0], split.tag[1]);
  if (split.digest) parts.digest = reference.slice(split.digest[0], split.digest[1]);
  return parts;
}

/** `docker.io/library/nginx` and `nginx` name the same repository. */
function normalizeRepository(registry: string | undefined, repository: string): string {
  const hub = registry === undefined || registry === 'docker.io' || registry === 'index.docker.io' || registry === 'registry-1.docker.io';
  const full = hub ? repository : `${registry}/${repository}`;
  return hub && full.startsWith('library/') ? full.slice('library/'.length) : full;
}

function imageHover(model: DockerfileModel, stage: Stage | undefined, written: string, images: readonly ImageInfo[]): string {
  const reference = stage?.base.value ?? (written.includes('$') ? undefined : written);
  const lines: string[] = [];
  if (reference === undefined) {
    lines.push(`**Image** ${code(written)}`, '', 'The reference depends on build arguments whose values are not known before the build.');
    return lines.join('\n');
  }
  lines.push(`**Image** ${code(reference)}`);
  if (reference !== written) {
    lines.push('', `Written ${code(written)}.`);
    const image = stage?.from.from?.image;
    const undeclared = new Set<string>();
    for (const variable of stage?.from.variables ?? []) {
      const inImage = image && variable.range.start >= image.range.start && variable.range.end <= image.range.end;
      if (stage && inImage && !model.lookupVariable(variable.name, stage.from)) undeclared.add(variable.name);
    }
    if (undeclared.size > 0) {
      const names = [...undeclared].map((name) => code(`$${name}`)).join(', ');
      lines.push('', `${names} ${undeclared.size > 1 ? 'are' : 'is'} not declared before the first FROM, so ${undeclared.size > 1 ? 'they expand' : 'it expands'} to an empty string.`);
    }
  }
  if (reference.toLowerCase() === 'scratch') {
    lines.push('', 'The empty image: the stage starts with no files at all.');
    return lines.join('\n');
  }
  const parts = imageParts(reference);
  const facts = [
    `Registry: ${parts.registry ? code(parts.registry) : 'Docker Hub (`docker.io`, the default)'}`,
    `Repository: ${code(parts.repository)}`,
  ];
  if (parts.tag !== undefined) facts.push(`Tag: ${code(parts.tag)}`);
  else if (parts.digest === undefined) facts.push('Tag: `latest` (the default)');
  if (parts.digest !== undefined) facts.push(`Digest: ${code(parts.digest)}`);
  lines.push('', facts.map((fact) => `- ${fact}`).join('\n'));

  const repository = normalizeRepository(parts.registry, parts.repository);
  const candidates = images.filter((image) => {
    const local = imageParts(image.repository);
    return normalizeRepository(local.registry, local.repository) === repository;
  });
  const tag = parts.tag ?? (parts.digest === undefined ? 'latest' : undefined);
  const local = tag === undefined ? undefined : candidates.find((image) => image.tags.includes(tag));
  if (local) {
    lines.push('', `**Local image** ${code(shortId(local.id))}`);
    const details = [`Size: ${formatSize(local.size)}`, `Created: ${formatCreated(local.created)}`];
    details.push(
      local.exposedPorts.length > 0
        ? `Exposed ports: ${local.exposedPorts.map((port) => code(port)).join(', ')}`
        : 'Exposed ports: none',
    );
    if (local.tags.length > 1) details.push(`Tags: ${local.tags.map((other) => code(other)).join(', ')}`);
    lines.push(details.map((detail) => `- ${detail}`).join('\n'));
  } else if (candidates.length > 0) {
    const tags = [...new Set(candidates.flatMap((image) => image.tags))].sort();
    lines.push('', `Not pulled with this ${tag === undefined ? 'digest' : 'tag'}; local tags of ${code(parts.repository)}: ${tags.map((other) => code(other)).join(', ')}`);
  }
  return lines.join('\n');
}

function shortId(id: string): string {
  const bare = id.startsWith('sha256:') ? id.slice('sha256:'.length) : id;
  return bare.slice(0, 12);
}

/** Decimal units, as the Docker CLI shows sizes. */
function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return 'unknown';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

function formatCreated(created: string): string {
  const time = Date.parse(created);
  if (!Number.isFinite(time)) return created ? code(created) : 'unknown';
  return new Date(time).toISOString().replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
}

// ---- parser directives ------------------------------------------------------

function directiveHover(model: DockerfileModel, directive: ParserDirective): string {
  const doc = Object.hasOwn(PARSER_DIRECTIVES, directive.name) ? PARSER_DIRECTIVES[directive.name] : undefined;
  const lines = [`**# ${directive.name}** (parser directive)${doc ? ` — ${doc.summary}` : ''}`];
  if (doc) lines.push('', doc.description);
  if (!directive.active) {
    const earlier = model.ast.directives.find((other) => other.name === directive.name && other.range.start < directive.range.start);
    const why = earlier
      ? `only the first \`# ${directive.name}\` counts (line ${lineOf(model, earlier.range.start)})`
      : directive.name === 'escape' && directive.value !== '\\' && directive.value !== '`'
        ? `${code(directive.value)} is neither \`\\\` nor a backtick`
        : 'an escape directive after a `#!` line has no effect';
    lines.push('', `_Ignored here: ${why}._`);
  }
  return lines.join('\n');
}
