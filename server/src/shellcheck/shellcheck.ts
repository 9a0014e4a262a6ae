import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { DockerfileModel, TextRange } from '../dockerfile';
import { RuleContext } from '../rules/context';
import { byPosition, createSuppressor, type LintResult } from '../rules/runner';
import type { LintSettings } from '../rules/settings';
import type { Severity } from '../rules/types';

/** Shells ShellCheck understands, by the basename of the stage's SHELL. */
const DIALECTS: Record<string, 'sh' | 'bash' | 'dash' | 'ksh'> = { sh: 'sh', ash: 'sh', dash: 'dash', bash: 'bash', ksh: 'ksh', mksh: 'ksh' };

/**
 * Not meaningful inside a Dockerfile: sourced files are not in the build
 * context's view (SC1090, SC1091), and variables come from ARG, ENV and the
 * base image, which ShellCheck cannot see (SC2154).
 */
export const EXCLUDED_CODES = ['SC1090', 'SC1091', 'SC2154'];

interface CheckedScript {
  file: string;
  /** The text ShellCheck reads: the script with the `export` line of `declared` inserted. */
  text: string;
  dialect: string;
  declared: Declaration | undefined;
  toDocument(range: TextRange): TextRange;
}

/** Where the line declaring the instruction's ARG and ENV names stands in the checked text. */
interface Declaration {
  at: number;
  length: number;
}

const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The script with a line exporting the ARG and ENV names in scope at its
 * instruction, as the build's environment holds them: without it ShellCheck
 * takes `$UID` under ARG UID for bash's own variable (SC3028) and a name it
 * never saw assigned for a misspelling (SC2153). A shebang stays the first line.
 */
function withDeclarations(script: string, names: readonly string[]): { text: string; declared: Declaration | undefined } {
  if (names.length === 0) return { text: script, declared: undefined };
  const shebang = script.startsWith('#!');
  const at = shebang ? script.indexOf('\n') + 1 : 0;
  // A script that is nothing but a shebang has no variables to read.
  if (shebang && at === 0) return { text: script, declared: undefined };
  const line = `export ${names.join(' ')}\n`;
  return { text: script.slice(0, at) + line + script.slice(at), declared: { at, length: line.length } };
}

interface ShellCheckComment {
  file: string;
  line: number;
  endLine: number;
  column: number;
  endColumn: number;
  level: 'error' | 'warning' | 'info' | 'style';
  code: number;
  message: string;
}

export interface ShellCheckOptions {
  executable?: string;
  timeoutMs?: number;
}

/** Writes each RUN script of the Dockerfile to a temp file, grouped by dialect. */
function prepare(model: DockerfileModel, settings: LintSettings): { directory: string; scripts: CheckedScript[] } | undefined {
  const context = new RuleContext(model, settings);
  const scripts: CheckedScript[] = [];
  let directory: string | undefined;
  for (const instruction of context.allInstructions()) {
    let names: string[] | undefined;
    for (const script of context.scripts(instruction)) {
      const dialect = DIALECTS[basename(script.shell[0] ?? 'sh')];
      // PowerShell, cmd or zsh: ShellCheck would only report noise.
      if (!dialect || script.parsed.text.trim() === '') continue;
      directory ??= mkdtempSync(join(tmpdir(), 'berth-shellcheck-'));
      const file = join(directory, `run-${scripts.length + 1}.sh`);
      names ??= [...model.variablesAt(instruction).keys()].filter((name) => SHELL_NAME.test(name));
      const { text, declared } = withDeclarations(script.parsed.text, names);
      writeFileSync(file, text);
      scripts.push({ file, text, dialect, declared, toDocument: (range) => script.parsed.toDocumentRange(range) });
    }
  }
  return directory ? { directory, scripts } : undefined;
}

function commandLines(scripts: CheckedScript[]): { dialect: string; args: string[] }[] {
  const dialects = [...new Set(scripts.map((script) => script.dialect))];
  return dialects.map((dialect) => ({
    dialect,
    // json1 counts a tab as one column, so columns are character offsets.
    args: ['--format=json1', `--shell=${dialect}`, `--exclude=${EXCLUDED_CODES.join(',')}`, ...scripts.filter((s) => s.dialect === dialect).map((s) => s.file)],
  }));
}

function toResults(model: DockerfileModel, settings: LintSettings, scripts: CheckedScript[], outputs: string[]): LintResult[] {
  const suppressor = createSuppressor(model, settings);
  const byFile = new Map(scripts.map((script) => [script.file, script]));
  const results: LintResult[] = [];
  for (const output of outputs) {
    let comments: ShellCheckComment[];
    try {
      comments = (JSON.parse(output) as { comments: ShellCheckComment[] }).comments;
    } catch {
      continue;
    }
    for (const comment of comments) {
      const script = byFile.get(comment.file);
      if (!script) continue;
      const code = `SC${comment.code}`;
      if (suppressor.skipped([code], 'berth')) continue;
      const starts = lineStarts(script.text);
      const offset = (line: number, column: number) => Math.min(script.text.length, (starts[line - 1] ?? script.text.length) + column - 1);
      const checked = { start: offset(comment.line, comment.column), end: 0 };
      checked.end = Math.max(checked.start, offset(comment.endLine, comment.endColumn));
      const inScript = scriptRange(checked, script.declared);
      // About the export line Berth wrote, not about the user's script.
      if (!inScript) continue;
      const range = script.toDocument(inScript);
      if (suppressor.ignoredAt([code], range)) continue;
      results.push({ code, source: 'berth', severity: suppressor.severity(code, 'berth', comment.level as Severity), range, message: comment.message, fixes: [] });
    }
  }
  return results.sort(byPosition);
}

/** A range of the checked text as a range of the script itself; undefined inside the export line. */
function scriptRange(range: TextRange, declared: Declaration | undefined): TextRange | undefined {
  if (!declared) return range;
  const { at, length } = declared;
  const back = (offset: number) => (offset >= at + length ? offset - length : offset);
  if (range.start >= at && range.start < at + length) return undefined;
  return { start: back(range.start), end: Math.max(back(range.start), back(range.end)) };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** True when `shellcheck` (or the given executable) can be run. */
export function shellCheckAvailable(executable = 'shellcheck'): boolean {
  const result = spawnSync(executable, ['--version'], { stdio: 'ignore', timeout: 5000 });
  return result.status === 0;
}

/** ShellCheck findings for every RUN script, mapped to Dockerfile positions (for the CLI). */
export function shellCheckSync(model: DockerfileModel, settings: LintSettings, options: ShellCheckOptions = {}): LintResult[] {
  const prepared = prepare(model, settings);
  if (!prepared) return [];
  try {
    const outputs = commandLines(prepared.scripts).map(
      ({ args }) => spawnSync(options.executable ?? 'shellcheck', args, { encoding: 'utf8', timeout: options.timeoutMs ?? 20_000, maxBuffer: 64 * 1024 * 1024 }).stdout ?? '',
    );
    return toResults(model, settings, prepared.scripts, outputs);
  } finally {
    rmSync(prepared.directory, { recursive: true, force: true });
  }
}

/** The same, without blocking (for the language server); rejects only on a bug, never on ShellCheck's failure. */
export async function shellCheck(model: DockerfileModel, settings: LintSettings, options: ShellCheckOptions = {}): Promise<LintResult[]> {
  const prepared = prepare(model, settings);
  if (!prepared) return [];
  try {
    const outputs = await Promise.all(commandLines(prepared.scripts).map(({ args }) => run(options.executable ?? 'shellcheck', args, options.timeoutMs ?? 20_000)));
    return toResults(model, settings, prepared.scripts, outputs);
  } finally {
    rmSync(prepared.directory, { recursive: true, force: true });
  }
}

function run(executable: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(executable, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', () => resolve(''));
    child.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}
