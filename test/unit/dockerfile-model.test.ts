import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  analyzeDockerfile,
  buildModel,
  DEFAULT_SHELL,
  parseDockerfile,
  type DockerfileModel,
  type Instruction,
  type TextRange,
} from '../../server/src/dockerfile/index';

const lines = (...parts: string[]): string => parts.join('\n');

function at(text: string, range: TextRange | undefined): string | undefined {
  return range === undefined ? undefined : text.slice(range.start, range.end);
}

/** The n-th instruction with this keyword. */
function nth(model: DockerfileModel, name: string, index = 0): Instruction {
  const found = model.ast.instructions.filter((i) => i.name === name)[index];
  assert.ok(found, `no ${name} #${index}`);
  return found;
}

describe('stages', () => {
  const text = lines(
    'ARG BASE=golang',
    'ARG TAG=1.22',
    'FROM ${BASE}:${TAG} AS Build',
    'RUN go build',
    'FROM build AS test',
    'RUN --mount=type=cache,target=/c --mount=type=bind,from=build,source=/src,target=/src go test',
    'FROM alpine:3.20',
    'COPY --from=BUILD /out /bin/',
    'COPY --from=1 /report /report',
    'COPY --from=nginx:latest /etc/nginx /etc/nginx',
    'COPY --from=later /x /x',
    'FROM scratch AS later',
  );
  const model = analyzeDockerfile(text);

  it('lists stages with index, lower-cased name, name range and base image', () => {
    assert.deepEqual(
      model.stages.map((s) => [s.index, s.name, at(text, s.nameToken?.range), s.base.raw, s.base.value, s.base.scratch]),
      [
        [0, 'build', 'Build', '${BASE}:${TAG}', 'golang:1.22', false],
        [1, 'test', 'test', 'build', 'build', false],
        [2, undefined, undefined, 'alpine:3.20', 'alpine:3.20', false],
        [3, 'later', 'later', 'scratch', 'scratch', true],
      ],
    );
    assert.equal(at(text, model.stages[0].base.token?.range), '${BASE}:${TAG}');
  });

  it('resolves a base that is another stage', () => {
    assert.equal(model.stages[1].base.stage, model.stages[0]);
    assert.equal(model.stages[0].base.stage, undefined);
    assert.equal(model.stages[2].base.stage, undefined);
  });

  it('records which stages use which, through FROM, COPY --from and RUN --mount from=', () => {
    const uses = model.stages.map((s) => s.uses.map((u) => [u.kind, u.stage.index, u.text, at(text, u.range)]));
    assert.deepEqual(uses, [
      [],
      [
        ['from', 0, 'build', 'build'],
        ['mount-from', 0, 'build', 'build'],
      ],
      [
        ['copy-from', 0, 'BUILD', 'BUILD'],
        ['copy-from', 1, '1', '1'],
        ['copy-from', 3, 'later', 'later'],
      ],
      [],
    ]);
    assert.deepEqual(model.stages[0].usedBy.map((u) => [u.kind, u.user.index]), [
      ['from', 1],
      ['mount-from', 1],
      ['copy-from', 2],
    ]);
    assert.deepEqual(model.stages[3].usedBy.map((u) => u.user.index), [2]);
  });

  it('knows the stage of each instruction and their ranges', () => {
    const run = nth(model, 'RUN', 1);
    assert.equal(model.stageOf(run), model.stages[1]);
    assert.equal(model.stageOf(model.ast.instructions[0]), undefined, 'global ARG');
    assert.equal(model.stageOf(nth(model, 'FROM', 2)), model.stages[2]);
    assert.deepEqual(model.stages[0].instructions.map((i) => i.name), ['FROM', 'RUN']);
    assert.equal(at(text, model.stages[0].range), 'FROM ${BASE}:${TAG} AS Build\nRUN go build');
    assert.equal(model.stageAt(run.range.start + 2), model.stages[1]);
    assert.equal(model.stageAt(0), undefined);
    assert.equal(model.findStage('BUILD'), model.stages[0]);
    assert.equal(model.findStage('2'), model.stages[2]);
    assert.equal(model.findStage('nope'), undefined);
  });

  it('expands --platform with global and predefined ARGs', () => {
    const platformModel = analyzeDockerfile(lines('ARG PLATFORM=linux/arm64', 'FROM --platform=$PLATFORM a', 'FROM --platform=$BUILDPLATFORM b'));
    assert.deepEqual(platformModel.stages.map((s) => [s.platform?.raw, s.platform?.value]), [
      ['$PLATFORM', 'linux/arm64'],
      ['$BUILDPLATFORM', undefined],
    ]);
  });
});

describe('variables', () => {
  it('keeps global ARGs with defaults expanded in order', () => {
    const model = analyzeDockerfile(lines('ARG A=1 B=${A}2', 'ARG C', 'ARG D=$A-$UNDECLARED', 'FROM x'));
    assert.deepEqual(model.globalArgs.map((a) => [a.name, a.value, a.scope]), [
      ['A', '1', 'global'],
      ['B', '2', 'global'],
      ['C', undefined, 'global'],
      ['D', '1-', 'global'],
    ]);
  });

  it('gives a stage a global ARG only after it is redeclared, with the global default', () => {
    const text = lines('ARG VERSION=1.0', 'FROM x', 'RUN before', 'ARG VERSION', 'RUN after', 'ARG VERSION=2.0', 'RUN last');
    const model = analyzeDockerfile(text);
    assert.equal(model.lookupVariable('VERSION', nth(model, 'RUN', 0)), undefined);
    const redeclared = model.lookupVariable('VERSION', nth(model, 'RUN', 1));
    assert.equal(redeclared?.value, '1.0');
    assert.equal(redeclared?.global, model.globalArgs[0]);
    assert.equal(at(text, redeclared?.pair?.key.range), 'VERSION');
    assert.equal(model.lookupVariable('VERSION', nth(model, 'RUN', 2))?.value, '2.0');
    assert.equal(model.lookupVariable('VERSION', nth(model, 'FROM'))?.value, '1.0', 'FROM lines see global ARGs');
  });

  it('expands ENV values with variables known at that point', () => {
    const text = lines(
      'FROM scratch',
      'ARG USER_NAME=app',
      'ENV HOME=/home/$USER_NAME APP="${HOME}/srv" QUOTED=\'$HOME\'',
      'ENV LEGACY  some value $HOME',
      'ENV PATHX=${MISSING:-/bin}:${HOME}',
    );
    const model = analyzeDockerfile(text);
    const env = model.stages[0].env;
    assert.deepEqual(env.map((b) => [b.name, b.value]), [
      ['HOME', '/home/app'],
      ['APP', '/srv', /* same ENV instruction: HOME not yet set, and scratch has no env */],
      ['QUOTED', '$HOME'],
      ['LEGACY', 'some value /home/app'],
      ['PATHX', '/bin:/home/app'],
    ]);
    assert.equal(at(text, env[1].pair?.value?.range), '"${HOME}/srv"');
  });

  it('leaves values unknown when they depend on an external base image or build-time ARGs', () => {
    const model = analyzeDockerfile(lines('FROM debian', 'ARG TARGETARCH', 'ENV PATH=/opt/bin:$PATH ARCH=$TARGETARCH FIXED=1', 'ENV X=$NEVER_DECLARED'));
    assert.deepEqual(model.stages[0].env.map((b) => [b.name, b.value]), [
      ['PATH', undefined],
      ['ARCH', undefined],
      ['FIXED', '1'],
      ['X', undefined],
    ]);
    const arch = model.stages[0].args[0];
    assert.equal(arch.predefined?.category, 'platform');
    assert.equal(arch.value, undefined);
  });

  it('lets ENV win over an ARG of the same name', () => {
    const model = analyzeDockerfile(lines('FROM scratch', 'ENV NAME=env', 'ARG NAME=arg', 'RUN x'));
    const binding = model.lookupVariable('NAME', nth(model, 'RUN'));
    assert.equal(binding?.kind, 'env');
    assert.equal(binding?.value, 'env');
  });

  it('inherits ENV and ARG from a base stage, as BuildKit does', () => {
    const model = analyzeDockerfile(lines('FROM scratch AS base', 'ARG FROM_BASE=1', 'ENV SHARED=yes', 'FROM base', 'ENV MORE=${SHARED}!$FROM_BASE', 'RUN x'));
    const run = nth(model, 'RUN');
    const shared = model.lookupVariable('SHARED', run);
    assert.equal(shared?.value, 'yes');
    assert.equal(shared?.inheritedFrom, model.stages[0]);
    const arg = model.lookupVariable('FROM_BASE', run);
    assert.equal(arg?.kind, 'arg');
    assert.equal(arg?.value, '1');
    assert.equal(arg?.inheritedFrom, model.stages[0]);
    assert.equal(arg?.instruction, nth(model, 'ARG'));
    assert.deepEqual(model.stages[1].args, [], 'inherited ARGs are not listed as declared in the child');
    assert.equal(model.lookupVariable('MORE', run)?.value, 'yes!1');
    assert.deepEqual([...model.variablesAt(run).keys()].filter((n) => !n.toLowerCase().endsWith('_proxy')), ['SHARED', 'MORE', 'FROM_BASE']);
  });

  it('passes ARGs down a chain of stages, global redeclarations included, but not to other stages', () => {
    const model = analyzeDockerfile(
      lines('ARG V=1', 'FROM alpine AS a', 'ARG V', 'ARG LOCAL=x', 'FROM a AS b', 'FROM b AS c', 'RUN c', 'FROM alpine', 'RUN other'),
    );
    const inC = nth(model, 'RUN', 0);
    assert.equal(model.lookupVariable('V', inC)?.value, '1');
    assert.equal(model.lookupVariable('V', inC)?.inheritedFrom, model.stages[0], 'inherited from the stage that declared it');
    assert.equal(model.lookupVariable('V', inC)?.global, model.globalArgs[0]);
    assert.equal(model.lookupVariable('LOCAL', inC)?.value, 'x');
    assert.equal(model.lookupVariable('V', nth(model, 'RUN', 1)), undefined);
    assert.equal(model.lookupVariable('LOCAL', nth(model, 'RUN', 1)), undefined);
    assert.equal(model.stages[0].base.value, 'alpine', 'FROM lines still see only global ARGs');
  });

  it('passes ENV and ARG down a chain of 12,000 stages, a redefinition taking over below it', () => {
    const parts = ['FROM alpine AS s0', 'ENV A=first', 'ARG B=b'];
    for (let i = 1; i < 12_000; i++) parts.push(`FROM s${i - 1} AS s${i}`, i === 6_000 ? 'ENV A=second' : 'RUN x');
    const model = analyzeDockerfile(lines(...parts));
    const last = model.ast.instructions.at(-1)!;
    const middle = model.ast.instructions.find((instruction) => instruction.name === 'ENV' && instruction.argsText === 'A=second')!;
    const a = model.lookupVariable('A', last);
    assert.equal(a?.value, 'second');
    assert.equal(a?.inheritedFrom, model.stages[6_000]);
    assert.equal(a?.instruction, middle);
    assert.equal(model.declaredVariable('A', last), a, 'one binding, whichever way it is asked for');
    assert.equal(model.lookupVariable('A', middle)?.value, 'first', 'the ENV itself still sees the inherited value');
    assert.equal(model.lookupVariable('B', last)?.inheritedFrom, model.stages[0]);
    assert.equal(model.lookupVariable('UNSET', last), undefined);
    assert.deepEqual([...model.variablesAt(last).keys()].filter((name) => !name.toLowerCase().endsWith('_proxy')), ['A', 'B']);
  });

  it('keeps the value an ARG already has when it is redeclared without a default', () => {
    const model = analyzeDockerfile(
      lines('ARG G=global', 'FROM scratch AS base', 'ARG CONFIG=prod', 'ARG G=stage', 'FROM base', 'ARG CONFIG', 'ARG G', 'ARG NEW', 'RUN x'),
    );
    const run = nth(model, 'RUN');
    const config = model.lookupVariable('CONFIG', run);
    assert.equal(config?.value, 'prod');
    assert.equal(config?.instruction, nth(model, 'ARG', 3), 'the redeclaration is what is in effect');
    assert.equal(config?.inheritedFrom, undefined);
    assert.equal(model.lookupVariable('G', run)?.value, 'global', 'a global ARG supplies its default first, as BuildKit does');
    assert.equal(model.lookupVariable('NEW', run)?.value, undefined);
  });

  it('offers predefined ARGs: platform ones in FROM lines, proxy ones inside stages', () => {
    const model = analyzeDockerfile(lines('FROM --platform=$BUILDPLATFORM x', 'RUN echo $HTTP_PROXY $TARGETOS'));
    const from = nth(model, 'FROM');
    const run = nth(model, 'RUN');
    assert.equal(model.lookupVariable('BUILDPLATFORM', from)?.kind, 'predefined');
    assert.equal(model.lookupVariable('HTTP_PROXY', from), undefined);
    assert.equal(model.lookupVariable('HTTP_PROXY', run)?.predefined?.category, 'proxy');
    assert.equal(model.lookupVariable('TARGETOS', run), undefined, 'platform ARGs need ARG inside a stage');
    assert.ok(model.predefinedArgs.some((a) => a.name === 'TARGETPLATFORM'));
    assert.ok(model.variablesAt(from).has('TARGETARCH'));
  });

  it('expands arbitrary text at an instruction', () => {
    const model = analyzeDockerfile(lines('ARG V=3', 'FROM scratch', 'ARG V', 'ENV DIR=/opt/v$V', 'RUN x'));
    const run = nth(model, 'RUN');
    assert.equal(model.expand('${DIR}/bin "q"', run).value, '/opt/v3/bin q');
    assert.equal(model.expand('$V', nth(model, 'FROM')).value, '3');
  });
});

describe('USER, WORKDIR and SHELL state', () => {
  const text = lines(
    'FROM debian AS base',
    'RUN first',
    'WORKDIR /app',
    'WORKDIR src/../lib',
    'ENV NAME=svc',
    'USER $NAME:staff',
    'SHELL ["/bin/bash", "-eo", "pipefail", "-c"]',
    'RUN second',
    'FROM base',
    'RUN third',
    'WORKDIR rel',
    'FROM alpine',
    'WORKDIR relative',
    'RUN fourth',
    'FROM scratch',
    'RUN fifth',
  );
  const model = analyzeDockerfile(text);

  it('reports the defaults before anything is set', () => {
    const state = model.stateAt(nth(model, 'RUN', 0));
    assert.equal(state.stage, model.stages[0]);
    assert.equal(state.user, undefined);
    assert.equal(state.workdir.path, undefined, 'unknown for an external base image');
    assert.deepEqual(state.shell.command, [...DEFAULT_SHELL]);
    assert.equal(state.shell.instruction, undefined);
  });

  it('tracks what is in effect at each instruction', () => {
    const second = model.stateAt(nth(model, 'RUN', 1));
    assert.equal(second.user?.raw, '$NAME:staff');
    assert.equal(second.user?.value, 'svc:staff');
    assert.equal(second.user?.instruction, nth(model, 'USER'));
    assert.equal(second.workdir.path, '/app/lib');
    assert.equal(second.workdir.instruction, nth(model, 'WORKDIR', 1));
    assert.deepEqual(second.shell.command, ['/bin/bash', '-eo', 'pipefail', '-c']);
    const atWorkdir = model.stateAt(nth(model, 'WORKDIR', 1));
    assert.equal(atWorkdir.workdir.path, '/app', 'state is what applies before the instruction');
  });

  it('inherits state from a base stage and resets it otherwise', () => {
    const third = model.stateAt(nth(model, 'RUN', 2));
    assert.equal(third.user?.value, 'svc:staff');
    assert.equal(third.workdir.path, '/app/lib');
    assert.equal(third.shell.command[0], '/bin/bash');
    assert.equal(model.stages[1].finalState.workdir.path, '/app/lib/rel');
    assert.equal(model.stages[0].finalState.user?.value, 'svc:staff', 'state after the last instruction');
    const fourth = model.stateAt(nth(model, 'RUN', 3));
    assert.equal(fourth.user, undefined);
    assert.equal(fourth.workdir.path, undefined, 'relative WORKDIR on an unknown base');
    assert.equal(fourth.workdir.instruction, nth(model, 'WORKDIR', 3));
    assert.deepEqual(fourth.shell.command, [...DEFAULT_SHELL]);
    assert.equal(model.stateAt(nth(model, 'RUN', 4)).workdir.path, '/', 'scratch starts at /');
  });

  it('gives ONBUILD triggers the state of their instruction', () => {
    const onbuild = analyzeDockerfile(lines('FROM scratch', 'WORKDIR /w', 'ONBUILD RUN x'));
    const instruction = nth(onbuild, 'ONBUILD');
    assert.ok(instruction.trigger);
    assert.equal(onbuild.stateAt(instruction.trigger).workdir.path, '/w');
    assert.equal(onbuild.stageOf(instruction.trigger), onbuild.stages[0]);
  });
});

describe('robustness and cost', () => {
  it('copes with instructions before any FROM and with empty input', () => {
    const model = analyzeDockerfile(lines('RUN x', 'ENV A=1', 'WORKDIR /x'));
    assert.deepEqual(model.stages, []);
    assert.equal(model.stateAt(model.ast.instructions[0]).stage, undefined);
    const empty = buildModel(parseDockerfile(''));
    assert.deepEqual(empty.stages, []);
    assert.deepEqual(empty.globalArgs, []);
    const odd = analyzeDockerfile(lines('FROM', 'FROM AS', 'COPY --from= /a /b', 'RUN --mount=from', 'FROM $UNSET AS x', 'ENV', 'ARG =v'));
    assert.equal(odd.stages.length, 3);
    assert.equal(odd.stages[2].base.value, '');
  });

  it('builds the model of a 2,000-line Dockerfile in a few milliseconds', () => {
    const block = lines(
      'FROM node:20-slim AS deps$N',
      'ARG VERSION=1.$N',
      'WORKDIR /app',
      'COPY package.json package-lock.json ./',
      'RUN npm ci --omit=dev && \\',
      '    apt-get update && apt-get install -y curl \\',
      '    && rm -rf /var/lib/apt/lists/*',
      'ENV NODE_ENV=production \\',
      '    PORT=3000 PATH=/app/bin:$PATH',
      'LABEL org.opencontainers.image.version="${VERSION}"',
      'COPY --from=deps0 /app/node_modules ./node_modules',
      'HEALTHCHECK --interval=30s CMD node healthcheck.js || exit 1',
      'RUN <<EOF',
      'echo hello $HOME',
      'EOF',
      '# a comment',
      'USER node',
      'CMD ["node", "server.js"]',
      '',
      '',
    );
    let text = '';
    for (let n = 0; text.split('\n').length < 2000; n++) text += block.replaceAll('$N', String(n)) + '\n';
    const model = analyzeDockerfile(text);
    assert.ok(model.stages.length >= 100);
    assert.equal(model.stages.at(-1)?.uses[0]?.stage, model.stages[0]);
  });
});
