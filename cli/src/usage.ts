export const USAGE = `usage: berth <command> [options]

Commands:
  lint [options] PATH...   lint Dockerfiles (directories are searched; - reads stdin)
  lsp --stdio              run the language server for any LSP client
  daemon [options]         run the runtime daemon in the foreground
  ps [-a] [--format json]  list containers through the daemon

Options:
  -h, --help               show this help
  -v, --version            show the version

Run "berth <command> --help" for a command's options.`;

export const LINT_USAGE = `usage: berth lint [options] PATH...

Lints Dockerfiles and compose files. A directory is searched for Dockerfile,
Dockerfile.*, *.Dockerfile, *.dockerfile and Containerfile, and for
compose.y[a]ml, compose.*.y[a]ml and docker-compose*.y[a]ml; a file given by
name is a compose file when it has one of those names, else a Dockerfile;
- reads stdin (as a Dockerfile, unless --lang compose).

Options:
  -f, --format tty|json|sarif|checkstyle   output format (default: tty)
  -t, --failure-threshold error|warning|info|style|none
                                           lowest severity that fails (default: the
                                           config's failure-threshold, else info)
  -c, --config FILE                        use this .hadolint.yaml for every file
                                           (default: the nearest one upward)
      --ignore CODE[,CODE]                 never report these codes (repeatable)
      --no-shellcheck                      skip ShellCheck on RUN scripts (it runs
                                           when shellcheck is on PATH)
      --lang dockerfile|compose            lint only this kind, files given by name
                                           too (default: both)

Exit status: 0 when no finding reaches the threshold, 1 when one does,
2 on a usage error or a file that cannot be read.`;

export const LSP_USAGE = `usage: berth lsp --stdio | --node-ipc | --socket=PORT

Runs the Berth language server (Dockerfile and Compose) over the given transport.`;

/** A command line that cannot be run; printed with the usage of the command it concerns. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string = USAGE,
  ) {
    super(message);
  }
}
