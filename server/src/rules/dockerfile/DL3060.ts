import type { Instruction } from '../../dockerfile';
import { flagValue, positionalArgs, type SimpleCommand } from '../../shell';
import { perInstruction, type RuleContext } from '../context';
import type { Rule } from '../types';

const YARN_OPTIONS_WITH_VALUES = ['--cwd', '--cache-folder', '--modules-folder', '--network-timeout', '--mutex', '--registry', '--global-folder', '--link-folder', '--use-yarnrc'];

function yarnWords(command: SimpleCommand): string[] {
  return positionalArgs(command, YARN_OPTIONS_WITH_VALUES).map((arg) => arg.value ?? '');
}

/** Cache mount targets of `RUN --mount=type=cache,target=…`. */
function cacheMountTargets(instruction: Instruction): string[] {
  const targets: string[] = [];
  for (const flag of instruction.flags) {
    if (flag.name !== 'mount' || flag.value === undefined) continue;
    const fields = new Map(flag.value.split(',').map((field) => {
      const equals = field.indexOf('=');
      return equals < 0 ? [field.trim().toLowerCase(), ''] : [field.slice(0, equals).trim().toLowerCase(), field.slice(equals + 1).trim()];
    }));
    if (fields.get('type') !== 'cache') continue;
    const target = fields.get('target') ?? fields.get('dst') ?? fields.get('destination');
    if (target) targets.push(target.replace(/^["']|["']$/g, ''));
  }
  return targets;
}

interface YarnInstall {
  instruction: Instruction;
  command: SimpleCommand;
}

/** `yarn install` runs in this RUN that leave their download cache in the layer. */
function uncleanInstalls(context: RuleContext, instruction: Instruction): YarnInstall[] {
  const installs: YarnInstall[] = [];
  let cleaned = false;
  for (const { tool: command, name } of context.commandsOf(instruction)) {
    if (name !== 'yarn') continue;
    const words = yarnWords(command);
    if (words.includes('install')) installs.push({ instruction, command });
    const cache = words.indexOf('cache');
    if (cache >= 0 && words[cache + 1] === 'clean') cleaned = true;
  }
  if (cleaned || installs.length === 0) return [];
  // The cache lives in a cache mount, not in the layer.
  const targets = cacheMountTargets(instruction);
  return installs.filter(({ command }) => {
    const folder = flagValue(command, undefined, 'cache-folder', YARN_OPTIONS_WITH_VALUES);
    return !targets.some((target) => /yarn/i.test(target) || (folder !== undefined && (folder === target || folder.startsWith(`${target.replace(/\/$/, '')}/`))));
  });
}

export const DL3060: Rule = {
  id: 'DL3060',
  source: 'hadolint',
  severity: 'info',
  summary: '`yarn cache clean` missing after `yarn install` was run.',
  docs: `\`yarn install\` keeps every downloaded package in its cache, and the cache stays in the layer. Run \`yarn cache clean\` in the same \`RUN\` (a later \`RUN\` cannot make the layer smaller), or keep the cache out of the image with a cache mount (\`RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install\`). Only stages that end up as images are checked: the final stage and stages that other stages are built \`FROM\`; a stage you only copy files out of keeps its cache to itself.`,
  examples: {
    fire: ['FROM node:22\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\n', 'FROM node:22 AS base\nRUN yarn install\nFROM base\nCMD ["node", "server.js"]\n'],
    pass: [
      'FROM node:22\nRUN yarn install --frozen-lockfile && yarn cache clean\n',
      'FROM node:22\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile\n',
      'FROM node:22 AS build\nRUN yarn install && yarn build\nFROM nginx:1.27\nCOPY --from=build /app/dist /usr/share/nginx/html\n',
    ],
  },
  ...perInstruction({
    commands: ['yarn'],
    triggers: true,
    visit(instruction, context, report, onbuild) {
      const stages = context.model.stages;
      const last = stages[stages.length - 1];
      const stage = context.model.stageOf(instruction);
      // Whether the stage reaches an image (from the FROM lines). ONBUILD triggers run in whatever image builds on this one, which ships.
      const shipped = stage !== undefined && (stage === last || stage.usedBy.some((use) => use.kind === 'from'));
      if (!onbuild && !shipped) return;
      for (const { command } of uncleanInstalls(context, instruction)) {
        const install = command.args.find((arg) => arg.value === 'install');
        report({
          range: (install ?? command.name ?? command).docRange,
          message: 'yarn install without yarn cache clean in the same RUN: the package cache stays in the image',
        });
      }
    },
  }),
};
