import type { Argument, SimpleCommand } from '../../shell';
import { perInstruction } from '../context';
import type { Rule } from '../types';

/** `go build` flags that take a separate value (`-o out`); go flags are single-dash long names. */
const GO_FLAGS_WITH_VALUES = new Set([
  '-o', '-p', '-C', '-asmflags', '-buildmode', '-buildvcs', '-compiler', '-gccgoflags', '-gcflags', '-installsuffix', '-ldflags', '-mod',
  '-modfile', '-overlay', '-pgo', '-pkgdir', '-tags', '-toolexec', '-exec', '-covermode', '-coverpkg',
]);

/** Positional words after `go <subcommand>`, with go's own flag syntax (`-flag`, `--flag`, `-flag=value`, `-flag value`). */
function goOperands(command: SimpleCommand): Argument[] {
  const operands: Argument[] = [];
  const args = command.args.slice(1); // after the subcommand
  let flagsEnded = false;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const value = arg.value;
    if (!flagsEnded && value === '--') {
      flagsEnded = true;
      continue;
    }
    if (!flagsEnded && arg.isFlag && value !== undefined) {
      const name = value.replace(/^--?/, '-').split('=', 1)[0]!;
      if (!value.includes('=') && GO_FLAGS_WITH_VALUES.has(name)) index++;
      continue;
    }
    operands.push(arg);
  }
  return operands;
}

/** A package argument is pinned when it names a version (`@v1.2.3`, `@${VERSION}`), or is local source. */
function isPinned(arg: Argument): boolean {
  const text = arg.value ?? arg.raw;
  if (text === '.' || text.startsWith('./') || text.startsWith('../') || text.startsWith('/') || text.endsWith('.go')) return true;
  const at = text.lastIndexOf('@');
  if (at < 0) return arg.value === undefined && !text.includes('/'); // `$PKG`: the variable may hold the version
  const version = text.slice(at + 1).replace(/^["']|["']$/g, '');
  return version !== '' && version !== 'latest' && version !== 'none';
}

export const DL3062: Rule = {
  id: 'DL3062',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Pin versions in go install. Instead of `go install <package>` use `go install <package>@<version>`',
  docs: `\`go install example.com/tool\`, \`go get\` and \`go run\` with a remote package fetch whatever version is newest today, so the same Dockerfile builds different tools over time. Name the version: \`go install example.com/tool@v1.2.3\`. \`@latest\` and \`@none\` do not pin anything. Local packages (\`.\`, \`./cmd/app\`, \`/src/app\`, \`main.go\`) are built from your own sources and are fine; so is a version held in a variable (\`@\${TOOL_VERSION}\`). For \`go run\`, only the package is checked: the words after it are the program's arguments.`,
  examples: {
    fire: [
      'FROM golang:1.23\nRUN go install golang.org/x/tools/cmd/goimports\n',
      'FROM golang:1.23\nRUN go install github.com/acme/tool@latest\n',
      'FROM golang:1.23\nRUN go run github.com/acme/gen --out /tmp/gen\n',
    ],
    pass: [
      'FROM golang:1.23\nRUN go install golang.org/x/tools/cmd/goimports@v0.24.0\n',
      'FROM golang:1.23\nARG TOOL_VERSION=v1.2.3\nRUN go install -ldflags "-s -w" github.com/acme/tool@${TOOL_VERSION}\n',
      'FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go install ./cmd/... && go run ./tools/gen.go github.com/not/a/package\n',
      'FROM golang:1.23\nRUN go run github.com/acme/gen@v0.3.1 github.com/acme/api\n',
      'FROM golang:1.23\nRUN go mod download && go build -o /out/app .\n',
    ],
  },
  ...perInstruction({
    commands: ['go'],
    triggers: true,
    visit(instruction, context, report) {
      for (const { tool: command, name } of context.commandsOf(instruction)) {
        if (name !== 'go') continue;
        const subcommand = command.args[0]?.value;
        if (subcommand !== 'install' && subcommand !== 'get' && subcommand !== 'run') continue;
        let packages = goOperands(command).filter((arg) => arg.value !== 'tool');
        // `go run pkg args...`: everything after the package belongs to the program.
        if (subcommand === 'run') packages = packages.slice(0, 1);
        for (const arg of packages) {
          if (isPinned(arg)) continue;
          const name = arg.value ?? arg.raw;
          report({
            range: arg.docRange,
            message: `Pin the version in go ${subcommand}: use ${name.replace(/@.*$/, '')}@<version> instead of ${name}`,
          });
        }
      }
    },
  }),
};
