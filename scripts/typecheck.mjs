// Type-checks every part of Berth with its own tsconfig (they differ only in
// which ambient types they see), failing on the first part with errors.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { writeComposeSchema } from './compose-schema.mjs';
import { writeRuleIndex } from './rule-index.mjs';

// Generated sources the type check reads: the rule index and the compiled compose schema.
writeRuleIndex();
writeComposeSchema();

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const parts = ['client', 'client/src/webview', 'server', 'runtime', 'cli', 'test'];
let failed = false;
for (const part of parts) {
  const result = spawnSync(process.execPath, [tsc, '-p', `${part}/tsconfig.json`], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`typecheck: ${part}/ has type errors`);
    failed = true;
  }
}
if (failed) process.exit(1);
console.log(`typecheck: ${parts.join(', ')} clean`);
