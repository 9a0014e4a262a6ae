import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDockerfile } from '../../server/src/dockerfile';
import { DL3006 } from '../../server/src/rules/dockerfile/DL3006';
import { DL3007 } from '../../server/src/rules/dockerfile/DL3007';
import { DL4000 } from '../../server/src/rules/dockerfile/DL4000';
import { FromAsCasing } from '../../server/src/rules/dockerfile/FromAsCasing';
import { perInstruction, type LocalCheck } from '../../server/src/rules/context';
import { runRules } from '../../server/src/rules/runner';
import { DEFAULT_LINT_SETTINGS, type LintSettings } from '../../server/src/rules/settings';
import type { Rule } from '../../server/src/rules/types';

// A fixed set of rules, so these tests say what suppression does whatever rules are added.
const RULES: readonly Rule[] = [DL3006, DL3007, DL4000, FromAsCasing];
const lint = (text: string, settings: Partial<LintSettings> = {}, rules: readonly Rule[] = RULES) =>
  runRules(analyzeDockerfile(text), rules, { ...DEFAULT_LINT_SETTINGS, ...settings }).results.map((result) => `${result.code}:${result.severity}`);

describe('suppression and configuration', () => {
  it('# hadolint ignore= above an instruction silences only those codes there', () => {
    const text = '# hadolint ignore=DL3007,DL3006\nFROM node:latest\nFROM ubuntu:latest\n';
    assert.deepEqual(lint(text), ['DL3007:warning']);
  });

  it('the ignore pragma may sit anywhere in the comment block above', () => {
    assert.deepEqual(lint('# hadolint ignore=DL3007\n# why: the image is rebuilt nightly\nFROM node:latest\n'), []);
  });

  it('# hadolint global ignore= silences a code in the whole file', () => {
    assert.deepEqual(lint('FROM node:latest\n# hadolint global ignore=DL3007\nFROM ubuntu:latest\n'), []);
  });

  it('disable-ignore-pragma makes pragmas count for nothing', () => {
    assert.deepEqual(lint('# hadolint ignore=DL3007\nFROM node:latest\n', { disableIgnorePragma: true }), ['DL3007:warning']);
  });

  it('# check=skip= skips BuildKit checks by name, and skip=all skips them all', () => {
    const text = 'FROM alpine:3.20 as build\n';
    assert.deepEqual(lint(text), ['FromAsCasing:warning']);
    assert.deepEqual(lint(`# check=skip=FromAsCasing\n${text}`), []);
    assert.deepEqual(lint(`# check=skip=all\n${text}`), []);
    assert.deepEqual(lint(`# check=skip=all\nFROM node:latest\n`), ['DL3007:warning'], 'skip=all leaves hadolint rules alone');
  });

  it('a BuildKit name that hadolint also covers is reported once, under the hadolint code, and skips by either name', () => {
    const text = 'FROM alpine:3.20\nMAINTAINER me\n';
    assert.deepEqual(lint(text), ['DL4000:error']);
    assert.deepEqual(lint(`# check=skip=MaintainerDeprecated\n${text}`), []);
    assert.deepEqual(lint(`# hadolint ignore=MaintainerDeprecated\n${text.replace('MAINTAINER', '# hadolint ignore=MaintainerDeprecated\nMAINTAINER')}`), []);
  });

  it('what one file says about skipping and severities does not carry over to the next file linted with the same settings', () => {
    const settings: LintSettings = { ...DEFAULT_LINT_SETTINGS };
    const lintWith = (text: string) => runRules(analyzeDockerfile(text), RULES, settings).results.map((result) => `${result.code}:${result.severity}`);
    const plain = 'FROM node:latest as build\n';
    assert.deepEqual(lintWith(plain), ['DL3007:warning', 'FromAsCasing:warning']);
    assert.deepEqual(lintWith(`# hadolint global ignore=DL3007\n${plain}`), ['FromAsCasing:warning']);
    assert.deepEqual(lintWith(`# check=error=true\n${plain}`), ['DL3007:warning', 'FromAsCasing:error']);
    assert.deepEqual(lintWith(`# check=skip=all\n${plain}`), ['DL3007:warning']);
    assert.deepEqual(lintWith(plain), ['DL3007:warning', 'FromAsCasing:warning']);
  });

  it('# check=error=true turns BuildKit checks into errors', () => {
    assert.deepEqual(lint('# check=error=true\nFROM alpine:3.20 as build\n'), ['FromAsCasing:error']);
  });

  it('settings ignore codes and override severities', () => {
    assert.deepEqual(lint('FROM node:latest\n', { ignored: new Set(['DL3007']) }), []);
    assert.deepEqual(lint('FROM node:latest\n', { severityOverrides: new Map([['DL3007', 'error']]) }), ['DL3007:error']);
  });

  it('a rule that throws does not stop the others', () => {
    const broken: Rule = { ...DL3006, id: 'Broken', check: () => { throw new Error('bug'); } };
    const run = runRules(analyzeDockerfile('FROM node:latest\n'), [broken, ...RULES], DEFAULT_LINT_SETTINGS);
    assert.deepEqual(run.failures.map((failure) => failure.code), ['Broken']);
    assert.deepEqual(run.results.map((result) => result.code), ['DL3007']);
  });
});

describe('local rules: which instructions each one is handed', () => {
  // A rule that reports every instruction it is handed, at the instruction, naming it (and its ONBUILD).
  const reporting = (id: string, local: Omit<LocalCheck, 'visit'>): Rule => ({
    ...DL4000,
    id,
    ...perInstruction({
      ...local,
      visit(instruction, _context, report, onbuild) {
        report({ range: instruction.range, message: `${onbuild ? 'ONBUILD ' : ''}${instruction.name} ${instruction.argsText}` });
      },
    }),
  });
  const handed = (text: string, rules: Rule[]) => runRules(analyzeDockerfile(text), rules, DEFAULT_LINT_SETTINGS).results.map((result) => `${result.code}: ${result.message}`);

  it('a rule about several commands reports a RUN running more than one of them once', () => {
    const text = 'FROM debian:12\nRUN apt-get update && apt install -y curl && apt-get clean\nRUN echo apt\nRUN sudo apt update\n';
    assert.deepEqual(handed(text, [reporting('Apt', { commands: ['apt-get', 'apt'], triggers: false })]), [
      'Apt: RUN apt-get update && apt install -y curl && apt-get clean',
      'Apt: RUN sudo apt update',
    ]);
  });

  it('ONBUILD triggers go only to rules that ask for them, with their ONBUILD', () => {
    const text = 'FROM debian:12\nONBUILD RUN apt-get update\nRUN apt-get update\n';
    assert.deepEqual(handed(text, [reporting('Triggers', { names: ['RUN'], triggers: true }), reporting('TopLevel', { names: ['RUN'], triggers: false })]), [
      'Triggers: ONBUILD RUN apt-get update',
      'TopLevel: RUN apt-get update',
      'Triggers: RUN apt-get update',
    ]);
  });

  it('names, having and no names at all select instructions as they say, each rule once per instruction', () => {
    const text = 'FROM alpine:3.20 AS build\nCOPY --from=build /a /b\nCOPY x y\nENV A=$HOME\n';
    const rules = [
      reporting('Copies', { names: ['COPY', 'ADD'], triggers: false }),
      reporting('CopyFlags', { names: ['COPY'], having: 'flags', triggers: false }),
      reporting('Variables', { having: 'variables', triggers: false }),
      reporting('Every', { triggers: false }),
    ];
    assert.deepEqual(handed(text, rules), [
      'Every: FROM alpine:3.20 AS build',
      'Copies: COPY /a /b',
      'CopyFlags: COPY /a /b',
      'Every: COPY /a /b',
      'Copies: COPY x y',
      'Every: COPY x y',
      'Every: ENV A=$HOME',
      'Variables: ENV A=$HOME',
    ]);
  });

  it('a local rule that throws stops at that instruction and the others go on', () => {
    const throwing: Rule = { ...DL4000, id: 'Throws', ...perInstruction({ names: ['RUN'], triggers: false, visit: () => { throw new Error('bug'); } }) };
    const run = runRules(analyzeDockerfile('FROM debian:12\nRUN a\nRUN b\n'), [throwing, reporting('Runs', { names: ['RUN'], triggers: false })], DEFAULT_LINT_SETTINGS);
    assert.deepEqual(run.failures.map((failure) => failure.code), ['Throws']);
    assert.deepEqual(run.results.map((result) => `${result.code}: ${result.message}`), ['Runs: RUN a', 'Runs: RUN b']);
  });
});
