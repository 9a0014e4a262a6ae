/**
 * Signature help for Dockerfile instructions: the forms of the instruction
 * under the cursor (from instructionDocs.ts), with the form that matches what
 * is written selected and the parameter under the cursor highlighted.
 * A pure function over (document, model, position).
 */

import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  MarkupKind,
  type ParameterInformation,
  type Position,
  type SignatureHelp,
  type SignatureInformation,
} from 'vscode-languageserver-types';
import type { DockerfileModel, Instruction } from '../dockerfile';
import { argumentCursor, locateCursor, type ArgumentCursor } from './completion';
import { INSTRUCTIONS, type InstructionDoc, type InstructionForm } from './instructionDocs';

/** Characters the adapter should register as signature help triggers. */
export const SIGNATURE_HELP_TRIGGER_CHARACTERS = [' ', '='];
/** Characters that update signature help already showing (a new part of a word starts). */
export const SIGNATURE_HELP_RETRIGGER_CHARACTERS = [':', '@', '/', ','];

/** What a non-flag parameter stands for, in our words. */
const PARAMETER_DOCS: Record<string, string> = {
  '<image>': 'Base image: a repository name, `scratch`, or the name of an earlier stage.',
  '[:<tag>]': 'Image tag; `latest` when omitted.',
  '[@<digest>]': 'Content digest such as `sha256:…`, pinning the exact image.',
  '[AS <name>]': 'Name for this stage, usable by later `FROM`, `COPY --from` and `--mount=from=`.',
  '<command>': 'Command line, run through the shell.',
  '"<executable>"': 'Program to run (first array element).',
  '"<param>", ...': 'Arguments passed to the program.',
  '<<<delimiter>': 'Here-document: the following lines up to the delimiter line.',
  '<src>...': 'One or more sources (relative to the build context, or to the `--from` source).',
  '"<src>", ...': 'One or more sources.',
  '<dest>': 'Destination path in the image (relative paths start at WORKDIR; end with `/` for a directory).',
  '"<dest>"': 'Destination path in the image.',
  '<key>': 'Name.',
  '<value>': 'Value (quote it when it contains spaces).',
  '<name>': 'Build argument name.',
  '[=<default>]': 'Default used when no `--build-arg` is given.',
  '<port>': 'Port number or range (`8000-8010`).',
  '[/<protocol>]': '`tcp` (default) or `udp`.',
  '<user>': 'User name.',
  '[:<group>]': 'Group name; the user\'s primary group when omitted.',
  '<uid>': 'Numeric user id.',
  '[:<gid>]': 'Numeric group id.',
  '"<path>", ...': 'Mount points.',
  '<path>': 'Path in the image.',
  CMD: 'The check command follows.',
  NONE: 'Disable the inherited health check.',
  '<INSTRUCTION>': 'The instruction to run in builds based on this image.',
  '<signal>': 'Signal name (`SIGTERM`) or number.',
};

interface Active {
  /** Index into the instruction's forms. */
  signature: number;
  /** Parameter of a form to highlight (index, or -1 for none). */
  parameter: (form: InstructionForm) => number;
}

export function dockerfileSignatureHelp(document: TextDocument, model: DockerfileModel, position: Position): SignatureHelp | null {
  const offset = Math.min(document.offsetAt(position), model.ast.text.length);
  const location = locateCursor(model, offset);
  if (location.kind !== 'instruction') return null;
  return helpFor(model, location.instruction, location.cursor, location.gap, '');
}

function helpFor(model: DockerfileModel, instruction: Instruction, cursor: number, gap: boolean, prefix: string): SignatureHelp | null {
  const keywordEnd = instruction.logicalRange.start + instruction.keyword.length;
  if (cursor <= keywordEnd) return null;
  const doc = Object.hasOwn(INSTRUCTIONS, instruction.name) ? INSTRUCTIONS[instruction.name] : undefined;
  if (!doc) return null;
  if (instruction.name === 'ONBUILD') {
    const trigger = instruction.trigger;
    if (trigger && cursor > trigger.logicalRange.start + trigger.keyword.length) {
      const inner = helpFor(model, trigger, cursor, gap, `${prefix}ONBUILD `);
      if (inner) return inner;
    }
    return build(doc, { signature: 0, parameter: () => 0 }, prefix);
  }
  const at = argumentCursor(instruction, cursor, gap, model.ast.escapeChar);
  return build(doc, activeFor(instruction, at, cursor), prefix);
}

function build(doc: InstructionDoc, active: Active, prefix: string): SignatureHelp {
  const signatures: SignatureInformation[] = doc.forms.map((form) => {
    const label = prefix + form.label;
    let from = prefix.length;
    const parameters: ParameterInformation[] = form.parameters.map((parameter) => {
      const start = label.indexOf(parameter, from);
      const range: [number, number] = start < 0 ? [label.length, label.length] : [start, start + parameter.length];
      from = range[1];
      const information: ParameterInformation = { label: range };
      const documentation = parameterDoc(doc, parameter);
      if (documentation) information.documentation = { kind: MarkupKind.Markdown, value: documentation };
      return information;
    });
    const parameter = active.parameter(form);
    const signature: SignatureInformation = {
      label,
      documentation: { kind: MarkupKind.Markdown, value: form.documentation ? `${form.documentation}\n\n${doc.summary}` : doc.summary },
      parameters,
      // Out of range when no parameter of this form applies, so nothing is highlighted.
      activeParameter: parameter >= 0 ? parameter : parameters.length,
    };
    return signature;
  });
  const activeSignature = Math.min(Math.max(active.signature, 0), signatures.length - 1);
  return { signatures, activeSignature, activeParameter: signatures[activeSignature]?.activeParameter ?? 0 };
}

function parameterDoc(doc: InstructionDoc, parameter: string): string | undefined {
  const flag = /^\[--([a-z-]+)/.exec(parameter);
  if (flag) return Object.hasOwn(doc.flags, flag[1]) ? doc.flags[flag[1]].summary : undefined;
  return Object.hasOwn(PARAMETER_DOCS, parameter) ? PARAMETER_DOCS[parameter] : undefined;
}

/** Index of the first parameter equal to one of `candidates`, or -1. */
function find(form: InstructionForm, ...candidates: string[]): number {
  for (const candidate of candidates) {
    const index = form.parameters.indexOf(candidate);
    if (index >= 0) return index;
  }
  return -1;
}

const fixed = (signature: number, ...candidates: string[]): Active => ({ signature, parameter: (form) => find(form, ...candidates) });

/** Index of the JSON array element the cursor is in: commas outside strings between `[` and the cursor. */
function jsonElementIndex(text: string, open: number, cursor: number): { index: number; more: boolean } {
  let index = 0;
  let inString = false;
  for (let i = open + 1; i < cursor; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === ',') index++;
  }
  // Another element follows the cursor's (a comma before the closing bracket).
  let more = false;
  for (let i = cursor; i < text.length && !more; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === ']') break;
    else if (char === ',') more = true;
  }
  return { index, more };
}

function activeFor(instruction: Instruction, at: ArgumentCursor, cursor: number): Active {
  const text = instruction.logical.text;
  const word = text.slice(at.current.start, cursor);
  const wordOf = (index: number) => {
    const w = at.args[index];
    return w ? text.slice(w.start, w.end) : index === at.args.length ? word : '';
  };
  const argIndex = at.args.length;

  if (at.inFlagRegion && word.startsWith('-')) {
    const name = word.slice(2).split('=')[0];
    const names = Object.hasOwn(INSTRUCTIONS, instruction.name) ? Object.keys(INSTRUCTIONS[instruction.name].flags) : [];
    const flag = names.includes(name) ? name : name !== '' ? names.find((candidate) => candidate.startsWith(name)) : undefined;
    const signature = defaultSignature(instruction);
    if (!flag) return { signature, parameter: () => -1 };
    return { signature, parameter: (form) => form.parameters.findIndex((p) => p === `[--${flag}]` || p.startsWith(`[--${flag}=`)) };
  }

  const argsStart = at.args[0]?.start ?? at.current.start;
  const json = text[argsStart] === '[';
  const element = json ? jsonElementIndex(text, argsStart, cursor) : { index: 0, more: false };
  const heredoc = wordOf(0).startsWith('<<');

  switch (instruction.name) {
    case 'FROM': {
      if (argIndex >= 1) return fixed(wordOf(0).includes('@') ? 1 : 0, '[AS <name>]');
      const slash = word.lastIndexOf('/');
      if (word.includes('@')) return fixed(1, '[@<digest>]');
      if (word.lastIndexOf(':') > slash) return fixed(0, '[:<tag>]');
      return fixed(0, '<image>');
    }
    case 'RUN':
      if (json) return fixed(1, element.index === 0 ? '"<executable>"' : '"<param>", ...');
      if (heredoc) return fixed(2, '<<<delimiter>');
      return fixed(0, '<command>');
    case 'CMD':
      if (json) return { signature: 0, parameter: (form) => find(form, element.index === 0 ? '"<executable>"' : '"<param>", ...', '"<param>", ...') };
      if (argIndex === 0 && word === '') return { signature: 0, parameter: () => 0 };
      return fixed(2, '<command>');
    case 'ENTRYPOINT':
      if (json) return fixed(0, element.index === 0 ? '"<executable>"' : '"<param>", ...');
      if (argIndex === 0 && word === '') return { signature: 0, parameter: () => 0 };
      return fixed(1, '<command>');
    case 'SHELL':
      return fixed(0, json && element.index > 0 ? '"<param>", ...' : '"<executable>"');
    case 'COPY':
    case 'ADD': {
      if (json) return fixed(1, element.index >= 1 && !element.more ? '"<dest>"' : '"<src>", ...');
      if (heredoc && instruction.name === 'COPY') return fixed(2, argIndex === 0 ? '<<<delimiter>' : '<dest>');
      const wordsAfter = instruction.args.filter((arg) => arg.logicalRange.start > cursor).length;
      return fixed(0, argIndex >= 1 && wordsAfter === 0 ? '<dest>' : '<src>...');
    }
    case 'HEALTHCHECK': {
      const type = wordOf(0).toUpperCase();
      if (argIndex === 0) return type !== '' && 'NONE'.startsWith(type) ? fixed(1, 'NONE') : fixed(0, 'CMD');
      if (type === 'NONE') return { signature: 1, parameter: () => -1 };
      return fixed(0, '<command>');
    }
    case 'ENV': {
      const first = wordOf(0);
      if (argIndex >= 1 && !first.includes('=')) return fixed(1, '<value>');
      return fixed(0, word.includes('=') ? '<value>' : '<key>');
    }
    case 'LABEL':
      return fixed(0, word.includes('=') ? '<value>' : '<key>');
    case 'ARG':
      return fixed(0, word.includes('=') ? '[=<default>]' : '<name>');
    case 'EXPOSE':
      return fixed(0, word.includes('/') ? '[/<protocol>]' : '<port>');
    case 'USER': {
      const user = (instruction.args[0]?.value ?? word).split(':')[0];
      const numeric = user !== '' && /^[0-9]+$/.test(user);
      return { signature: numeric ? 1 : 0, parameter: (form) => (word.includes(':') ? find(form, '[:<group>]', '[:<gid>]') : 0) };
    }
    case 'VOLUME':
      return json ? fixed(0, '"<path>", ...') : fixed(1, '<path>');
    default:
      return { signature: 0, parameter: () => 0 };
  }
}

/** The form to show while flags are typed: from what the arguments already look like. */
function defaultSignature(instruction: Instruction): number {
  const json = instruction.form === 'exec' || instruction.json !== undefined;
  switch (instruction.name) {
    case 'RUN':
      return json ? 1 : instruction.heredocs.length > 0 ? 2 : 0;
    case 'COPY':
      return json ? 1 : instruction.heredocs.length > 0 ? 2 : 0;
    case 'ADD':
      return json ? 1 : 0;
    case 'FROM':
      return instruction.from?.imageDigest ? 1 : 0;
    default:
      return 0;
  }
}
