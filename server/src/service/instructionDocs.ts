/**
 * What every Dockerfile instruction, flag, `--mount` option and parser
 * directive means, in our own words: one table shared by completion, hover
 * and signature help. Pure data, no logic beyond small lookups.
 *
 * Keys of `INSTRUCTIONS` are upper-case keywords; keys of `flags` are flag
 * names without `--` (Docker compares flag names case-sensitively). In form
 * labels every entry of `parameters` is a substring of `label`, found in order
 * (signature help turns them into label offsets).
 */

/** How a flag is written: bare or `=true/false`, one value, or a value that may be repeated. */
export type FlagKind = 'bool' | 'string' | 'strings';

/** What a flag's value is, for completion and hover. */
export type FlagValueKind =
  | 'boolean'
  | 'platform'
  | 'stage'
  | 'mount'
  | 'network'
  | 'security'
  | 'device'
  | 'chown'
  | 'chmod'
  | 'pattern'
  | 'checksum'
  | 'duration'
  | 'integer';

export interface FlagDoc {
  summary: string;
  /** The closed set of accepted values, or common suggestions when `kind` allows anything. */
  values?: string[];
  kind: FlagKind;
  valueKind: FlagValueKind;
  /** A placeholder for the value, e.g. `<duration>`. */
  placeholder: string;
}

export interface InstructionForm {
  /** The form as a user would write it, e.g. `USER <user>[:<group>]`. */
  label: string;
  /** Substrings of `label`, in order. */
  parameters: string[];
  /** One line about when to use this form. */
  documentation?: string;
}

export interface InstructionDoc {
  /** One line. */
  summary: string;
  /** One paragraph (Markdown). */
  description: string;
  forms: InstructionForm[];
  flags: Record<string, FlagDoc>;
  /** Still accepted but superseded (MAINTAINER). */
  deprecated?: boolean;
}

export interface DirectiveDoc {
  summary: string;
  description: string;
  forms: InstructionForm[];
  /** Values worth suggesting. */
  values: string[];
}

export interface MountOptionDoc {
  summary: string;
  /** Mount types that accept this option. */
  types: string[];
  /** Values worth suggesting. */
  values?: string[];
  /** Another spelling of the same option. */
  aliasOf?: string;
}

const BOOL_VALUES = ['true', 'false'];

export const PLATFORM_VALUES = [
  '$BUILDPLATFORM',
  '$TARGETPLATFORM',
  'linux/amd64',
  'linux/arm64',
  'linux/arm/v7',
  'linux/arm/v6',
  'linux/386',
  'linux/ppc64le',
  'linux/s390x',
  'linux/riscv64',
  'windows/amd64',
];

const CHOWN_FLAG: FlagDoc = {
  summary: 'Owner of the copied files and directories, as `user`, `user:group`, `uid` or `uid:gid` (names are looked up in the image\'s /etc/passwd and /etc/group). Without it everything belongs to root.',
  kind: 'string',
  valueKind: 'chown',
  placeholder: '<user>:<group>',
  values: ['root:root', '1000:1000'],
};

const CHMOD_FLAG: FlagDoc = {
  summary: 'Permission bits for the copied files, in octal (`0755`, `644`) or, with a recent frontend, symbolic (`u+x,go=r`).',
  kind: 'string',
  valueKind: 'chmod',
  placeholder: '<perms>',
  values: ['0755', '0644', '0700', '0600', '0444'],
};

const LINK_FLAG: FlagDoc = {
  summary: 'Put the copied files in a layer of their own that does not depend on the layers below, so the layer can be reused when earlier instructions change.',
  kind: 'bool',
  valueKind: 'boolean',
  placeholder: '<bool>',
  values: BOOL_VALUES,
};

const EXCLUDE_FLAG: FlagDoc = {
  summary: 'A path pattern (may be given several times) of source files to leave out of the copy.',
  kind: 'strings',
  valueKind: 'pattern',
  placeholder: '<pattern>',
};

const DURATION_VALUES = ['5s', '10s', '30s', '1m', '5m'];

export const INSTRUCTIONS: Record<string, InstructionDoc> = {
  FROM: {
    summary: 'Start a build stage from a base image (or an earlier stage).',
    description:
      'Begins a new build stage. Everything that follows, up to the next `FROM`, adds to an image that starts as the given base: an image from a registry or the local engine, `scratch` for an empty file system, or the name of an earlier stage. `AS <name>` names the stage so that later `FROM`, `COPY --from` and `RUN --mount=from=` can refer to it. Only ARGs declared before the first `FROM` can be used in the `FROM` line itself.',
    forms: [
      {
        label: 'FROM [--platform=<platform>] <image>[:<tag>] [AS <name>]',
        parameters: ['[--platform=<platform>]', '<image>', '[:<tag>]', '[AS <name>]'],
        documentation: 'Base image by name and optional tag (`latest` when omitted).',
      },
      {
        label: 'FROM [--platform=<platform>] <image>[@<digest>] [AS <name>]',
        parameters: ['[--platform=<platform>]', '<image>', '[@<digest>]', '[AS <name>]'],
        documentation: 'Base image pinned to an exact content digest.',
      },
    ],
    flags: {
      platform: {
        summary: 'Platform of the base image to use when it is published for several, e.g. `linux/arm64`, or `$BUILDPLATFORM` to run build tools natively while cross-compiling.',
        kind: 'string',
        valueKind: 'platform',
        placeholder: '<platform>',
        values: PLATFORM_VALUES,
      },
    },
  },
  RUN: {
    summary: 'Run a command while building and keep its file system changes as a new layer.',
    description:
      'Executes a command in the current stage at build time and records the resulting file system changes in a new layer. The shell form hands the text to the stage\'s shell (`/bin/sh -c` unless `SHELL` changed it), so pipes, `&&` and variables work; the exec form (a JSON array) runs the program directly without a shell. A here-document (`<<EOF`) lets a script span several lines. Flags add cache, secret, SSH or bind mounts for the duration of the command and choose its network and security mode.',
    forms: [
      {
        label: 'RUN [--mount=<mount>] [--network=<mode>] [--security=<mode>] [--device=<device>] <command>',
        parameters: ['[--mount=<mount>]', '[--network=<mode>]', '[--security=<mode>]', '[--device=<device>]', '<command>'],
        documentation: 'Shell form: the command runs through the shell.',
      },
      {
        label: 'RUN [--mount=<mount>] [--network=<mode>] [--security=<mode>] [--device=<device>] ["<executable>", "<param>", ...]',
        parameters: ['[--mount=<mount>]', '[--network=<mode>]', '[--security=<mode>]', '[--device=<device>]', '"<executable>"', '"<param>", ...'],
        documentation: 'Exec form: the program runs directly, without a shell.',
      },
      {
        label: 'RUN [--mount=<mount>] [--network=<mode>] [--security=<mode>] [--device=<device>] <<<delimiter>',
        parameters: ['[--mount=<mount>]', '[--network=<mode>]', '[--security=<mode>]', '[--device=<device>]', '<<<delimiter>'],
        documentation: 'Here-document: the lines up to `<delimiter>` form the script.',
      },
    ],
    flags: {
      mount: {
        summary: 'Mount something into the command\'s file system while it runs, as comma-separated `key=value` options: `type=cache` keeps a directory between builds, `type=secret` and `type=ssh` expose credentials without storing them in the image, `type=bind` (the default) shows files from the context or another stage, `type=tmpfs` gives a scratch directory in memory. Can be repeated.',
        kind: 'strings',
        valueKind: 'mount',
        placeholder: '<mount>',
      },
      network: {
        summary: 'Network the command runs with: `default` (the build\'s usual network), `none` (no network access) or `host` (the host\'s network, which the builder must allow).',
        kind: 'string',
        valueKind: 'network',
        placeholder: '<mode>',
        values: ['default', 'none', 'host'],
      },
      security: {
        summary: '`insecure` runs the command with extended privileges (the builder must allow `security.insecure`); `sandbox` is the normal confinement.',
        kind: 'string',
        valueKind: 'security',
        placeholder: '<mode>',
        values: ['insecure', 'sandbox'],
      },
      device: {
        summary: 'Give the command access to a device known to the builder (CDI name such as `vendor.com/gpu=all`); add `,required` to fail when it is missing. Can be repeated.',
        kind: 'strings',
        valueKind: 'device',
        placeholder: '<device>',
      },
    },
  },
  CMD: {
    summary: 'Default command (or default arguments for ENTRYPOINT) of containers from the image.',
    description:
      'Sets what a container runs when started without a command of its own. In exec form (a JSON array) the first element is the program and the rest its arguments, or, when the image has an `ENTRYPOINT` in exec form, all elements become default arguments appended to it. In shell form the text runs through `/bin/sh -c`, which then becomes the main process and may not pass signals on. Only the last `CMD` of the final stage counts.',
    forms: [
      {
        label: 'CMD ["<executable>", "<param>", ...]',
        parameters: ['"<executable>"', '"<param>", ...'],
        documentation: 'Exec form (preferred): runs the program directly.',
      },
      {
        label: 'CMD ["<param>", ...]',
        parameters: ['"<param>", ...'],
        documentation: 'Default arguments appended to an exec-form ENTRYPOINT.',
      },
      {
        label: 'CMD <command>',
        parameters: ['<command>'],
        documentation: 'Shell form: runs through the shell.',
      },
    ],
    flags: {},
  },
  ENTRYPOINT: {
    summary: 'The program every container from the image runs.',
    description:
      'Makes the container behave like an executable. In exec form (a JSON array) the program is started directly and receives signals; arguments given to `docker run` (or the image\'s `CMD`) are appended to it. In shell form the text runs through `/bin/sh -c`, ignores `CMD` and run-time arguments, and the shell rather than your program becomes process 1.',
    forms: [
      {
        label: 'ENTRYPOINT ["<executable>", "<param>", ...]',
        parameters: ['"<executable>"', '"<param>", ...'],
        documentation: 'Exec form (preferred): CMD and run-time arguments are appended.',
      },
      {
        label: 'ENTRYPOINT <command>',
        parameters: ['<command>'],
        documentation: 'Shell form: runs through the shell, CMD is ignored.',
      },
    ],
    flags: {},
  },
  COPY: {
    summary: 'Copy files from the build context, a stage or an image into the image.',
    description:
      'Copies files and directories into the stage\'s file system. Sources are read from the build context unless `--from` names an earlier stage, an image or a named context; paths in the context are relative to it and may use wildcards. A destination ending in `/` (or any destination with several sources) is a directory; a relative destination is resolved against `WORKDIR`. Unlike `ADD`, it never downloads or unpacks anything.',
    forms: [
      {
        label: 'COPY [--from=<stage>] [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--parents] [--exclude=<pattern>] <src>... <dest>',
        parameters: ['[--from=<stage>]', '[--chown=<user>:<group>]', '[--chmod=<perms>]', '[--link]', '[--parents]', '[--exclude=<pattern>]', '<src>...', '<dest>'],
        documentation: 'Sources separated by spaces, destination last.',
      },
      {
        label: 'COPY [--from=<stage>] [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--parents] [--exclude=<pattern>] ["<src>", ..., "<dest>"]',
        parameters: ['[--from=<stage>]', '[--chown=<user>:<group>]', '[--chmod=<perms>]', '[--link]', '[--parents]', '[--exclude=<pattern>]', '"<src>", ...', '"<dest>"'],
        documentation: 'JSON form, for paths containing spaces.',
      },
      {
        label: 'COPY [--chown=<user>:<group>] [--chmod=<perms>] <<<delimiter> <dest>',
        parameters: ['[--chown=<user>:<group>]', '[--chmod=<perms>]', '<<<delimiter>', '<dest>'],
        documentation: 'Here-document: writes the inline text to `<dest>`.',
      },
    ],
    flags: {
      from: {
        summary: 'Copy from an earlier build stage (by name or index), an image, or a named build context instead of the build context. Variables are not expanded here.',
        kind: 'string',
        valueKind: 'stage',
        placeholder: '<stage>',
      },
      chown: CHOWN_FLAG,
      chmod: CHMOD_FLAG,
      link: LINK_FLAG,
      parents: {
        summary: 'Keep the source paths\' parent directories below the destination instead of flattening them (`./` in a source marks where the kept part starts).',
        kind: 'bool',
        valueKind: 'boolean',
        placeholder: '<bool>',
        values: BOOL_VALUES,
      },
      exclude: EXCLUDE_FLAG,
    },
  },
  ADD: {
    summary: 'Add files from the build context, URLs or Git repositories, unpacking local archives.',
    description:
      'Like `COPY`, but a source may also be an HTTP(S) URL or a Git repository, and a local tar archive (plain, gzip, bzip2 or xz) is unpacked into the destination rather than copied. Downloads can be pinned with `--checksum`. Prefer `COPY` for plain files, so the unpacking and downloading behaviour never comes as a surprise.',
    forms: [
      {
        label: 'ADD [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--keep-git-dir] [--checksum=<hash>] [--unpack] [--exclude=<pattern>] <src>... <dest>',
        parameters: ['[--chown=<user>:<group>]', '[--chmod=<perms>]', '[--link]', '[--keep-git-dir]', '[--checksum=<hash>]', '[--unpack]', '[--exclude=<pattern>]', '<src>...', '<dest>'],
        documentation: 'Sources (paths, URLs, Git repositories) separated by spaces, destination last.',
      },
      {
        label: 'ADD [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--keep-git-dir] [--checksum=<hash>] [--unpack] [--exclude=<pattern>] ["<src>", ..., "<dest>"]',
        parameters: ['[--chown=<user>:<group>]', '[--chmod=<perms>]', '[--link]', '[--keep-git-dir]', '[--checksum=<hash>]', '[--unpack]', '[--exclude=<pattern>]', '"<src>", ...', '"<dest>"'],
        documentation: 'JSON form, for paths containing spaces.',
      },
    ],
    flags: {
      chown: CHOWN_FLAG,
      chmod: CHMOD_FLAG,
      link: LINK_FLAG,
      'keep-git-dir': {
        summary: 'When the source is a Git repository, keep its `.git` directory in the result.',
        kind: 'bool',
        valueKind: 'boolean',
        placeholder: '<bool>',
        values: BOOL_VALUES,
      },
      checksum: {
        summary: 'Expected digest of a downloaded source (`sha256:<hex>`), or the commit of a Git source; the build fails when it does not match.',
        kind: 'string',
        valueKind: 'checksum',
        placeholder: '<hash>',
        values: ['sha256:'],
      },
      unpack: {
        summary: 'Whether an archive source is unpacked: on by default for local archives, off for URLs; set it to unpack a downloaded archive or to copy a local one as is.',
        kind: 'bool',
        valueKind: 'boolean',
        placeholder: '<bool>',
        values: BOOL_VALUES,
      },
      exclude: EXCLUDE_FLAG,
    },
  },
  ENV: {
    summary: 'Set environment variables for the rest of the build and for containers.',
    description:
      'Defines environment variables that later instructions of the stage can use (`$NAME`), that stages built `FROM` this one inherit, and that containers started from the image see. Several `key=value` pairs can be set at once; values may be quoted and may refer to variables defined before this instruction. The legacy `ENV key value` form sets one variable to the rest of the line.',
    forms: [
      {
        label: 'ENV <key>=<value> ...',
        parameters: ['<key>', '<value>', '...'],
        documentation: 'One or more `key=value` pairs.',
      },
      {
        label: 'ENV <key> <value>',
        parameters: ['<key>', '<value>'],
        documentation: 'Legacy form: one variable, the value is the rest of the line.',
      },
    ],
    flags: {},
  },
  ARG: {
    summary: 'Declare a build argument, optionally with a default.',
    description:
      'Declares a variable whose value can be given at build time (`--build-arg NAME=value`), with an optional default. An `ARG` before the first `FROM` is global: it can be used in `FROM` lines, and inside a stage only after being declared again there (`ARG NAME`, which picks up the global value). Build arguments exist only while building: they are not part of the image\'s environment (use `ENV` for that), though their values may show up in the image history.',
    forms: [
      {
        label: 'ARG [--required] <name>[=<default>] ...',
        parameters: ['[--required]', '<name>', '[=<default>]', '...'],
        documentation: 'One or more declarations.',
      },
    ],
    flags: {
      required: {
        summary: 'Fail the build when no value is passed for the argument.',
        kind: 'bool',
        valueKind: 'boolean',
        placeholder: '<bool>',
        values: BOOL_VALUES,
      },
    },
  },
  LABEL: {
    summary: 'Attach key/value metadata to the image.',
    description:
      'Adds metadata to the image configuration, such as the source repository, version or maintainer (the `org.opencontainers.image.*` keys are the common convention). Several `key=value` pairs can be given at once; quote keys or values containing spaces. Labels of the base image are inherited and can be overridden.',
    forms: [
      {
        label: 'LABEL <key>=<value> ...',
        parameters: ['<key>', '<value>', '...'],
        documentation: 'One or more `key=value` pairs.',
      },
    ],
    flags: {},
  },
  EXPOSE: {
    summary: 'Document the ports the container listens on.',
    description:
      'Records in the image which ports the application listens on, `tcp` unless `/udp` is given. It publishes nothing by itself: it documents intent, and `docker run -P` publishes exactly these ports on random host ports. Ranges such as `8000-8010` are accepted.',
    forms: [
      {
        label: 'EXPOSE <port>[/<protocol>] ...',
        parameters: ['<port>', '[/<protocol>]', '...'],
        documentation: 'Ports or port ranges, protocol `tcp` (default) or `udp`.',
      },
    ],
    flags: {},
  },
  USER: {
    summary: 'Set the user (and group) that following instructions and containers run as.',
    description:
      'Switches the user for the rest of the stage: later `RUN` commands, and the `CMD`/`ENTRYPOINT` of containers, run as this user. Give a name or a numeric UID, optionally followed by `:` and a group name or GID; names must exist in the image. Without a group the user\'s primary group applies. Running as a non-root user is a good default for final images.',
    forms: [
      {
        label: 'USER <user>[:<group>]',
        parameters: ['<user>', '[:<group>]'],
        documentation: 'User and group by name.',
      },
      {
        label: 'USER <uid>[:<gid>]',
        parameters: ['<uid>', '[:<gid>]'],
        documentation: 'User and group by number.',
      },
    ],
    flags: {},
  },
  WORKDIR: {
    summary: 'Set the working directory for following instructions and containers.',
    description:
      'Changes the current directory for the rest of the stage (`RUN`, `CMD`, `ENTRYPOINT`, and relative `COPY`/`ADD` destinations), creating it when it does not exist. A relative path is resolved against the previous `WORKDIR`; prefer absolute paths. Stages built from this one inherit it.',
    forms: [{ label: 'WORKDIR <path>', parameters: ['<path>'] }],
    flags: {},
  },
  VOLUME: {
    summary: 'Declare mount points for data that should live outside the container.',
    description:
      'Marks directories as volumes: each container gets an anonymous volume there unless one is mounted explicitly, so the data survives the container. Changes made to these directories by later build instructions are discarded, so populate them before declaring the volume.',
    forms: [
      {
        label: 'VOLUME ["<path>", ...]',
        parameters: ['"<path>", ...'],
        documentation: 'JSON form.',
      },
      {
        label: 'VOLUME <path> ...',
        parameters: ['<path>', '...'],
        documentation: 'Paths separated by spaces.',
      },
    ],
    flags: {},
  },
  SHELL: {
    summary: 'Change the shell used for shell-form commands.',
    description:
      'Replaces the default shell (`["/bin/sh", "-c"]` on Linux) that shell-form `RUN`, `CMD` and `ENTRYPOINT` use, for the rest of the stage. It must be written as a JSON array: the program followed by its arguments, the command text being appended as the last argument. Typical uses are `["/bin/bash", "-o", "pipefail", "-c"]` or PowerShell on Windows.',
    forms: [
      {
        label: 'SHELL ["<executable>", "<param>", ...]',
        parameters: ['"<executable>"', '"<param>", ...'],
        documentation: 'Program and arguments; the command text is appended.',
      },
    ],
    flags: {},
  },
  HEALTHCHECK: {
    summary: 'Tell the engine how to check that a container is still working.',
    description:
      'Defines a command the engine runs inside the container at a regular interval; exit status 0 means healthy, 1 unhealthy. After `--retries` consecutive failures the container is reported unhealthy. Failures during `--start-period` do not count. `HEALTHCHECK NONE` switches off a check inherited from the base image. Only the last `HEALTHCHECK` of a stage applies.',
    forms: [
      {
        label: 'HEALTHCHECK [--interval=<duration>] [--timeout=<duration>] [--start-period=<duration>] [--start-interval=<duration>] [--retries=<n>] CMD <command>',
        parameters: ['[--interval=<duration>]', '[--timeout=<duration>]', '[--start-period=<duration>]', '[--start-interval=<duration>]', '[--retries=<n>]', 'CMD', '<command>'],
        documentation: 'Run `<command>` (shell or exec form) to check the container.',
      },
      {
        label: 'HEALTHCHECK NONE',
        parameters: ['NONE'],
        documentation: 'Disable any health check inherited from the base image.',
      },
    ],
    flags: {
      interval: {
        summary: 'Time between two checks (default 30s).',
        kind: 'string',
        valueKind: 'duration',
        placeholder: '<duration>',
        values: DURATION_VALUES,
      },
      timeout: {
        summary: 'How long one check may take before it counts as failed (default 30s).',
        kind: 'string',
        valueKind: 'duration',
        placeholder: '<duration>',
        values: DURATION_VALUES,
      },
      'start-period': {
        summary: 'Grace period after the container starts during which failed checks are not counted (default 0s).',
        kind: 'string',
        valueKind: 'duration',
        placeholder: '<duration>',
        values: DURATION_VALUES,
      },
      'start-interval': {
        summary: 'Time between checks during the start period (default 5s).',
        kind: 'string',
        valueKind: 'duration',
        placeholder: '<duration>',
        values: DURATION_VALUES,
      },
      retries: {
        summary: 'Consecutive failures needed before the container is reported unhealthy (default 3).',
        kind: 'string',
        valueKind: 'integer',
        placeholder: '<n>',
        values: ['3', '5'],
      },
    },
  },
  ONBUILD: {
    summary: 'Register an instruction to run when another build uses this image as its base.',
    description:
      'Stores an instruction in the image instead of running it. When another Dockerfile uses this image in `FROM`, the stored instructions run first, in order, in that build\'s context. Useful for base images that must act on their users\' sources. `ONBUILD` cannot trigger `ONBUILD`, `FROM` or `MAINTAINER`.',
    forms: [
      {
        label: 'ONBUILD <INSTRUCTION>',
        parameters: ['<INSTRUCTION>'],
        documentation: 'Any instruction but ONBUILD, FROM and MAINTAINER.',
      },
    ],
    flags: {},
  },
  STOPSIGNAL: {
    summary: 'Set the signal sent to the container\'s main process to stop it.',
    description:
      'Chooses which signal `docker stop` sends first to ask the container to exit (SIGTERM by default), by name such as `SIGQUIT` or by number. Use it when the application expects another signal for a clean shutdown.',
    forms: [{ label: 'STOPSIGNAL <signal>', parameters: ['<signal>'] }],
    flags: {},
  },
  MAINTAINER: {
    summary: 'Deprecated: record the image author.',
    description:
      'Records an author in the image metadata. It is deprecated: use `LABEL org.opencontainers.image.authors="..."` instead, which tools can read like any other label.',
    forms: [{ label: 'MAINTAINER <name>', parameters: ['<name>'] }],
    flags: {},
    deprecated: true,
  },
};

export const PARSER_DIRECTIVES: Record<string, DirectiveDoc> = {
  syntax: {
    summary: 'Choose the Dockerfile frontend (language version) used to build this file.',
    description:
      'Names the image of the BuildKit frontend that reads this Dockerfile, so the file can rely on a given language version independent of the installed engine: `docker/dockerfile:1` follows the latest stable 1.x release, a pinned version such as `docker/dockerfile:1.7` never changes, and `-labs` variants add experimental features. Must be at the very top of the file, before any other line.',
    forms: [{ label: '# syntax=<frontend image>', parameters: ['<frontend image>'] }],
    values: ['docker/dockerfile:1', 'docker/dockerfile:1-labs', 'docker/dockerfile-upstream:master'],
  },
  escape: {
    summary: 'Choose the escape character of this file: `\\` (default) or a backtick.',
    description:
      'Sets the character that continues a line and escapes the next character. A backtick is handy on Windows, where `\\` separates paths. Must be at the very top of the file, before any instruction or ordinary comment.',
    forms: [{ label: '# escape=<\\ or `>', parameters: ['<\\ or `>'] }],
    values: ['\\', '`'],
  },
  check: {
    summary: 'Configure the build checks BuildKit runs on this file.',
    description:
      'Tells BuildKit which of its build checks to skip (`skip=<name>,<name>` or `skip=all`) and whether a failed check fails the build (`error=true`); the two settings are separated by `;`. Berth honours `skip` for the matching rules too. Must be at the very top of the file.',
    forms: [{ label: '# check=skip=<checks>[;error=<bool>]', parameters: ['skip=<checks>', '[;error=<bool>]'] }],
    values: ['skip=all', 'error=true', 'skip='],
  },
};

export const MOUNT_TYPES: Record<string, { summary: string }> = {
  bind: { summary: 'Show files from the build context, a stage or an image at the target path (read-only unless `rw`). The default type.' },
  cache: { summary: 'A directory kept between builds, for package manager and compiler caches; never part of the image.' },
  tmpfs: { summary: 'An empty in-memory file system that disappears after the command.' },
  secret: { summary: 'A secret passed to the build (`--secret id=...`), readable as a file or environment variable, never stored in the image.' },
  ssh: { summary: 'The SSH agent socket forwarded to the build (`--ssh default`), for cloning private repositories.' },
};

export const MOUNT_OPTIONS: Record<string, MountOptionDoc> = {
  type: { summary: 'Kind of mount: `bind` (default), `cache`, `tmpfs`, `secret` or `ssh`. Write it first.', types: ['bind', 'cache', 'tmpfs', 'secret', 'ssh'], values: ['bind', 'cache', 'tmpfs', 'secret', 'ssh'] },
  target: { summary: 'Path inside the command\'s file system where the mount appears.', types: ['bind', 'cache', 'tmpfs', 'secret', 'ssh'] },
  dst: { summary: 'Same as `target`.', types: ['bind', 'cache', 'tmpfs', 'secret', 'ssh'], aliasOf: 'target' },
  destination: { summary: 'Same as `target`.', types: ['bind', 'cache', 'tmpfs', 'secret', 'ssh'], aliasOf: 'target' },
  source: { summary: 'Path inside `from` (or the build context) to mount; defaults to its root.', types: ['bind', 'cache', 'secret'] },
  src: { summary: 'Same as `source`.', types: ['bind', 'cache', 'secret'], aliasOf: 'source' },
  from: { summary: 'Stage, image or named context to mount from (for a cache: what seeds the empty cache).', types: ['bind', 'cache'] },
  id: { summary: 'Identifier of the cache (shared by every mount with the same id), secret or SSH socket.', types: ['cache', 'secret', 'ssh'] },
  sharing: { summary: 'How concurrent builds share a cache: `shared` (default), `private` (a new copy each) or `locked` (one at a time).', types: ['cache'], values: ['shared', 'private', 'locked'] },
  mode: { summary: 'Permission bits of the mounted file or directory, in octal.', types: ['cache', 'secret', 'ssh'], values: ['0755', '0700', '0600', '0400'] },
  uid: { summary: 'Numeric owner of the mounted file or directory.', types: ['cache', 'secret', 'ssh'], values: ['0', '1000'] },
  gid: { summary: 'Numeric group of the mounted file or directory.', types: ['cache', 'secret', 'ssh'], values: ['0', '1000'] },
  required: { summary: 'Fail the build when the secret or SSH agent was not provided.', types: ['secret', 'ssh'], values: BOOL_VALUES },
  readonly: { summary: 'Mount read-only (the default for bind mounts).', types: ['bind', 'cache'], values: BOOL_VALUES },
  ro: { summary: 'Same as `readonly`.', types: ['bind', 'cache'], values: BOOL_VALUES, aliasOf: 'readonly' },
  readwrite: { summary: 'Allow writes to a bind mount; they are thrown away after the command.', types: ['bind'], values: BOOL_VALUES },
  rw: { summary: 'Same as `readwrite`.', types: ['bind'], values: BOOL_VALUES, aliasOf: 'readwrite' },
  size: { summary: 'Maximum size of the tmpfs, such as `64m`.', types: ['tmpfs'], values: ['64m', '256m', '1g'] },
  env: { summary: 'Also expose the secret as this environment variable.', types: ['secret'] },
};

export const HEALTHCHECK_TYPES: Record<string, { summary: string }> = {
  CMD: { summary: 'The command that checks the container; exit status 0 means healthy.' },
  NONE: { summary: 'No health check, not even one inherited from the base image.' },
};

/** The documentation of an instruction keyword in any case; undefined for unknown ones. */
export function instructionDoc(keyword: string): InstructionDoc | undefined {
  const name = keyword.toUpperCase();
  return Object.hasOwn(INSTRUCTIONS, name) ? INSTRUCTIONS[name] : undefined;
}

/** A flag of an instruction (flag names are case-sensitive, as in Docker). */
export function flagDoc(keyword: string, flag: string): FlagDoc | undefined {
  const doc = instructionDoc(keyword);
  return doc && Object.hasOwn(doc.flags, flag) ? doc.flags[flag] : undefined;
}
