import { get, knownString } from '../tree';
import { pathText } from '../yaml/builder';
import { buildContext, defineCheck, isRemote } from './_shared';

export const DockerfileMissing = defineCheck({
  id: 'dockerfile-missing',
  severity: 'error',
  summary: 'The Dockerfile of a build does not exist.',
  docs: `\`build.dockerfile\` is relative to the build context (or absolute); without it the builder reads \`Dockerfile\` in the context (Berth also accepts a \`Containerfile\` there). When the file is missing the build fails with "failed to read dockerfile". Builds with \`dockerfile_inline\`, remote contexts, and paths with variables that have no value are not checked; a missing context is reported by build-context-missing instead.`,
  examples: {
    fire: [
      { files: { 'compose.yaml': 'services:\n  web:\n    build:\n      context: ./web\n      dockerfile: Dockerfile.dev\n', 'web/Dockerfile': 'FROM nginx\n' } },
      { files: { 'compose.yaml': 'services:\n  web:\n    build: ./web\n', 'web/index.html': '<h1>hi</h1>\n' } },
    ],
    pass: [
      { files: { 'compose.yaml': 'services:\n  web:\n    build:\n      context: ./web\n      dockerfile: Dockerfile.dev\n  api:\n    build: ./api\n  tools:\n    build:\n      context: .\n      dockerfile_inline: |\n        FROM alpine\n', 'web/Dockerfile.dev': 'FROM nginx\n', 'api/Containerfile': 'FROM alpine\n' } },
    ],
  },
  checkService(service, context, report) {
    const build = buildContext(service.node);
    if (!build) return;
    if (build.node?.kind === 'scalar' && build.node.unresolved) return;
    if (isRemote(build.value)) return;
    if (get(build.build, 'dockerfile_inline')) return;
    const contextPath = context.resolvePath(build.node ?? build.build, build.value);
    if (!context.exists(contextPath)) return;
    const dockerfileNode = get(build.build, 'dockerfile');
    if (dockerfileNode) {
      const dockerfile = knownString(dockerfileNode);
      if (dockerfile === undefined || dockerfile === '' || isRemote(dockerfile)) return;
      const path = context.joinPath(contextPath, dockerfile);
      if (context.exists(path)) return;
      report({ file: dockerfileNode.file, range: dockerfileNode.range, message: `${pathText(['services', service.name, 'build', 'dockerfile'])}: "${dockerfile}" does not exist in the build context "${build.value}" (${path})` });
      return;
    }
    if (context.exists(context.joinPath(contextPath, 'Dockerfile')) || context.exists(context.joinPath(contextPath, 'Containerfile'))) return;
    const at = build.node ?? build.build;
    const where = build.build.kind === 'scalar' ? ['services', service.name, 'build'] : build.node ? ['services', service.name, 'build', 'context'] : ['services', service.name, 'build'];
    report({ file: at.file, range: at.range, message: `${pathText(where)}: the build context "${build.value}" has no Dockerfile (set build.dockerfile if it has another name)` });
  },
});
