import { pathText } from '../yaml/builder';
import { buildContext, defineCheck, isRemote } from './_shared';

export const BuildContextMissing = defineCheck({
  id: 'build-context-missing',
  severity: 'error',
  summary: 'The build context directory does not exist.',
  docs: `\`build\` (or \`build.context\`) names the directory sent to the builder, relative to the compose file's directory (for an included file, its project directory). When it does not exist the build fails before it starts. Contexts that are URLs or git repositories (\`https://…\`, \`git@…\`, \`….git#branch\`) are fetched by the builder and not checked, nor are paths with variables that have no value.`,
  examples: {
    fire: ['services:\n  web:\n    build: ./web\n', 'services:\n  web:\n    build:\n      context: ../frontend\n      dockerfile: Dockerfile\n'],
    pass: [
      { files: { 'compose.yaml': 'services:\n  web:\n    build: ./web\n  api:\n    build:\n      context: https://github.com/example/api.git#main\n  self:\n    build:\n      dockerfile: Dockerfile\n', 'web/Dockerfile': 'FROM nginx\n', Dockerfile: 'FROM alpine\n' } },
    ],
  },
  checkService(service, context, report) {
    // Directories can only be seen through the host's `exists`; without it, say nothing.
    if (!context.seesDirectories) return;
    const build = buildContext(service.node);
    if (!build?.node || build.node.kind !== 'scalar' || build.node.unresolved) return;
    if (build.value === '' || isRemote(build.value)) return;
    const path = context.resolvePath(build.node, build.value);
    if (context.exists(path)) return;
    const where = build.build.kind === 'scalar' ? ['services', service.name, 'build'] : ['services', service.name, 'build', 'context'];
    report({ file: build.node.file, range: build.node.range, message: `${pathText(where)}: build context "${build.value}" does not exist (${path})` });
  },
});
