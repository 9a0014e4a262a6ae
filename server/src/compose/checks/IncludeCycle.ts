import { baseName } from '../fileNames';
import { defineCheck } from './_shared';

export const IncludeCycle = defineCheck({
  id: 'include-cycle',
  severity: 'error',
  summary: 'Files include each other in a circle.',
  docs: `An \`include\` that leads back to a file already being loaded (directly, or through other included files) would never end; compose stops with "include cycle detected". Berth stops following the circle there and reports the entry that closes it.`,
  examples: {
    fire: [{ files: { 'compose.yaml': 'include:\n  - ./other.yaml\n', 'other.yaml': 'include:\n  - ./compose.yaml\nservices:\n  web:\n    image: nginx\n' } }],
    pass: [{ files: { 'compose.yaml': 'include:\n  - ./other.yaml\n', 'other.yaml': 'services:\n  web:\n    image: nginx\n' } }],
  },
  check(context, report) {
    for (const record of context.project.includes) {
      if (!record.cycle) continue;
      report({ file: record.node.file, range: record.node.range, message: `include: ${baseName(record.path)} is already being loaded; including it here makes a cycle` });
    }
  },
});
