import { analyzeDockerfile } from '../../dockerfile';
import { get, knownString } from '../tree';
import { pathText } from '../yaml/builder';
import { buildContext, defineCheck, isRemote } from './_shared';

export const UnknownBuildTarget = defineCheck({
  id: 'unknown-build-target',
  severity: 'error',
  summary: '`build.target` is not a stage of the Dockerfile.',
  docs: `\`build.target\` names the stage of a multi-stage Dockerfile to build (\`FROM … AS <name>\`). Berth reads the service's Dockerfile (\`build.dockerfile\` in the context, \`Dockerfile\` by default, or \`dockerfile_inline\`) and reports a target that no stage has; the build would fail with "target stage could not be found". Stage names are compared without regard to case, as Docker does. Nothing is reported when the Dockerfile cannot be read.`,
  examples: {
    fire: [
      { files: { 'compose.yaml': 'services:\n  web:\n    build:\n      context: .\n      target: production\n', Dockerfile: 'FROM node:22 AS build\nRUN npm ci\nFROM nginx AS prod\nCOPY --from=build /app /usr/share/nginx/html\n' } },
      'services:\n  web:\n    build:\n      context: .\n      dockerfile_inline: |\n        FROM alpine AS base\n      target: final\n',
    ],
    pass: [
      { files: { 'compose.yaml': 'services:\n  web:\n    build:\n      context: .\n      target: PROD\n  dev:\n    build:\n      context: .\n      dockerfile: dev.Dockerfile\n      target: dev\n', Dockerfile: 'FROM node:22 AS build\nFROM nginx AS prod\n', 'dev.Dockerfile': 'FROM node:22 AS dev\n' } },
      'services:\n  web:\n    build:\n      context: .\n      target: prod\n',
    ],
  },
  checkService(service, context, report) {
    const build = buildContext(service.node);
    if (!build || build.build.kind !== 'map') return;
    const targetNode = get(build.build, 'target');
    const target = knownString(targetNode);
    if (!targetNode || !target) return;
    let text: string | undefined;
    let name = 'the Dockerfile';
    const inline = get(build.build, 'dockerfile_inline');
    if (inline) {
      text = knownString(inline);
      name = 'dockerfile_inline';
    } else {
      if (build.node?.kind === 'scalar' && build.node.unresolved) return;
      if (isRemote(build.value)) return;
      const dockerfileNode = get(build.build, 'dockerfile');
      const dockerfile = dockerfileNode ? knownString(dockerfileNode) : 'Dockerfile';
      if (!dockerfile || isRemote(dockerfile)) return;
      const path = context.joinPath(context.resolvePath(build.node ?? build.build, build.value), dockerfile);
      name = dockerfile;
      text = context.readFile(path);
    }
    if (text === undefined) return;
    const stages = stageNames(text);
    if (stages.includes(target.toLowerCase())) return;
    const known = stages.length > 0 ? `its stages are ${stages.join(', ')}` : 'it has no named stages';
    report({ file: targetNode.file, range: targetNode.range, message: `${pathText(['services', service.name, 'build', 'target'])}: stage "${target}" is not defined in ${name} (${known})` });
  },
});

/**
 * Stage names per Dockerfile text, kept across checks: the project is checked
 * again after every keystroke in the compose file, and its Dockerfiles are
 * mostly unchanged. Bounded: forgotten all at once past `TEXTS_KEPT` texts.
 */
const stagesByText = new Map<string, string[]>();
const TEXTS_KEPT = 256;

function stageNames(text: string): string[] {
  let stages = stagesByText.get(text);
  if (!stages) {
    stages = analyzeDockerfile(text)
      .stages.map((stage) => stage.name)
      .filter((stage): stage is string => stage !== undefined);
    if (stagesByText.size >= TEXTS_KEPT) stagesByText.clear();
    stagesByText.set(text, stages);
  }
  return stages;
}
