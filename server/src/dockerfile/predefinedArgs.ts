/**
 * Build arguments Docker defines without an ARG instruction.
 * - platform: set automatically by BuildKit; usable in FROM lines (global
 *   scope), but inside a stage only after `ARG NAME` (docs: "redefine it
 *   without value");
 * - proxy: usable in RUN without an ARG instruction (when passed with
 *   --build-arg), and excluded from image history;
 * - buildkit: build arguments that configure BuildKit features.
 */

export type PredefinedArgCategory = 'platform' | 'proxy' | 'buildkit';

export interface PredefinedArg {
  name: string;
  category: PredefinedArgCategory;
  description: string;
}

const PLATFORM: Array<[string, string]> = [
  ['TARGETPLATFORM', 'Platform of the build result, e.g. linux/amd64.'],
  ['TARGETOS', 'OS component of TARGETPLATFORM.'],
  ['TARGETARCH', 'Architecture component of TARGETPLATFORM.'],
  ['TARGETVARIANT', 'Variant component of TARGETPLATFORM.'],
  ['BUILDPLATFORM', 'Platform of the node performing the build.'],
  ['BUILDOS', 'OS component of BUILDPLATFORM.'],
  ['BUILDARCH', 'Architecture component of BUILDPLATFORM.'],
  ['BUILDVARIANT', 'Variant component of BUILDPLATFORM.'],
];

const PROXY_NAMES = ['HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY'];

const BUILDKIT: Array<[string, string]> = [
  ['BUILDKIT_CACHE_MOUNT_NS', 'Optional namespace for RUN --mount=type=cache ids.'],
  ['BUILDKIT_CONTEXT_KEEP_GIT_DIR', 'Keep the .git directory in a Git build context.'],
  ['BUILDKIT_HISTORY_PROVENANCE_V1', 'Enable SLSA provenance v1 for the build record.'],
  ['BUILDKIT_INLINE_CACHE', 'Inline cache metadata into the image config.'],
  ['BUILDKIT_MULTI_PLATFORM', 'Opt into deterministic multi-platform output.'],
  ['BUILDKIT_SANDBOX_HOSTNAME', 'Hostname used during the build.'],
  ['BUILDKIT_SYNTAX', 'Frontend image to use (like the # syntax directive).'],
  ['BUILDKIT_DOCKERFILE_CHECK', 'Configure build checks (like the # check directive).'],
  ['SOURCE_DATE_EPOCH', 'Timestamp used for reproducible builds.'],
];

export const PREDEFINED_ARGS: readonly PredefinedArg[] = [
  ...PLATFORM.map(([name, description]) => ({ name, category: 'platform' as const, description })),
  ...PROXY_NAMES.flatMap((name) =>
    [name, name.toLowerCase()].map((variant) => ({
      name: variant,
      category: 'proxy' as const,
      description: `Proxy setting ${name}, available to RUN without an ARG instruction.`,
    })),
  ),
  ...BUILDKIT.map(([name, description]) => ({ name, category: 'buildkit' as const, description })),
];

const BY_NAME = new Map(PREDEFINED_ARGS.map((arg) => [arg.name, arg]));

export function predefinedArg(name: string): PredefinedArg | undefined {
  return BY_NAME.get(name);
}
