// Berth's activation time as a real VS Code (code-server, with the packaged
// .vsix) reports it in "Developer: Show Running Extensions": the extension
// host's own figure (loading the code plus the activate call). Run by
// activation.bench.ts through tsx (playwright-core cannot be bundled); prints
// one JSON line `{ activationMs, others: [{ extension, ms }] }` or `{ skipped }`.
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeServerInstalled, loadCodeServerScripts, openViewContainer, openWorkbench, repoRoot, runCommand } from '../../e2e/support/vscode';

async function main(): Promise<void> {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = join(repoRoot, `${manifest.name}-${manifest.version}.vsix`);
  if (!existsSync(vsix)) return print({ skipped: `${vsix} is missing (npm run package)` });
  if (!codeServerInstalled()) return print({ skipped: 'code-server is not installed (npm run test:e2e installs it)' });
  const workspace = await mkdtemp(join(tmpdir(), 'berth-bench-activation-'));
  await cp(join(repoRoot, 'examples'), workspace, { recursive: true });
  const scripts = await loadCodeServerScripts();
  const server = await scripts.launchCodeServer({ vsix, workspace, log: () => undefined });
  const workbench = await openWorkbench(server.url);
  try {
    const { page } = workbench;
    await openViewContainer(page, 'Berth');
    await runCommand(page, 'Developer: Show Running Extensions');
    const rows = page.locator('.runtime-extensions-editor .monaco-list-row');
    const berth = rows.filter({ hasText: 'Berth' }).first();
    await berth.waitFor({ state: 'visible', timeout: 30_000 });
    const deadline = Date.now() + 30_000;
    for (;;) {
      // Every activated extension's row: Berth's figure, and the built-in ones' beside it, taken at the same moment.
      const texts = (await rows.allInnerTexts()).map((text) => text.replace(/\s+/g, ' '));
      const times = texts.flatMap((text) => {
        const activation = /Activation: (\d+)\s*ms/.exec(text);
        return activation ? [{ extension: text.slice(0, 40).trim(), ms: Number(activation[1]) }] : [];
      });
      const own = times.find((time) => time.extension.startsWith('Berth'));
      if (own) return print({ activationMs: own.ms, others: times.filter((time) => time !== own) });
      if (Date.now() > deadline) return print({ skipped: `no activation time for Berth in Running Extensions: ${JSON.stringify(texts)}` });
      await page.waitForTimeout(200);
    }
  } finally {
    await workbench.close();
    await server.stop();
    await rm(workspace, { recursive: true, force: true });
  }
}

function print(result: object): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: Error) => {
  print({ skipped: `code-server run failed: ${error.message}` });
});
