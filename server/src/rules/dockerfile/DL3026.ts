import { splitImageReference } from '../../dockerfile';
import type { LintSettings } from '../settings';
import type { Rule } from '../types';

// `exampleSettings`: what the examples assume, since without trusted registries the rule never reports.
export const DL3026: Rule & { exampleSettings: Partial<LintSettings> } = {
  id: 'DL3026',
  source: 'hadolint',
  severity: 'error',
  summary: 'Use only an allowed registry in the FROM image.',
  docs: `Teams that only trust images from their own registries can list them (\`trustedRegistries\` in \`.hadolint.yaml\`, or Berth's settings); every \`FROM\` image must then come from one of them. Images without a registry come from Docker Hub, which is allowed when the list has \`docker.io\` or \`hub.docker.com\`. Entries may use \`*\` as a wildcard (\`*.example.com\`, or \`*\` for any). With an empty list (the default) nothing is reported. Earlier stages, \`scratch\` and images given by a variable whose value is not known are not checked.

The examples assume this \`.hadolint.yaml\`:

\`\`\`yaml
trustedRegistries:
  - registry.example.com
\`\`\``,
  exampleSettings: { trustedRegistries: ['registry.example.com'] },
  examples: {
    fire: ['FROM debian:12\n', 'FROM ghcr.io/acme/base:1.4 AS base\n'],
    pass: [
      'FROM registry.example.com/base/debian:12\n',
      'FROM registry.example.com/base/debian:12 AS base\nFROM base\n',
      'FROM scratch\n',
    ],
  },
  check(context, report) {
    const trusted = context.settings.trustedRegistries;
    if (trusted.length === 0) return;
    for (const stage of context.model.stages) {
      const { base } = stage;
      if (base.stage || base.scratch || !base.token || base.value === undefined || base.value === '') continue;
      const registry = registryOf(base.value);
      if (registry === undefined) {
        if (trusted.some((entry) => entry === 'hub.docker.com' || registryMatches(entry, 'docker.io'))) continue;
        report({
          range: base.token.range,
          message: `${base.value} comes from Docker Hub, which is not among the trusted registries (${trusted.join(', ')})`,
        });
        continue;
      }
      if (trusted.some((entry) => registryMatches(entry, registry))) continue;
      report({
        range: base.token.range,
        message: `${base.value} comes from registry ${registry}, which is not among the trusted registries (${trusted.join(', ')})`,
      });
    }
  },
};

/** The registry host of an image reference, or undefined for Docker Hub's short names (`debian`, `library/debian`). */
function registryOf(image: string): string | undefined {
  const name = image.slice(0, splitImageReference(image).name[1]);
  const slash = name.indexOf('/');
  if (slash < 0) return undefined;
  const first = name.slice(0, slash);
  // Docker's rule: the first component is a registry when it looks like a host name.
  if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) return first;
  return undefined;
}

function registryMatches(entry: string, registry: string): boolean {
  if (!entry.includes('*')) return entry === registry;
  const pattern = entry.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}$`).test(registry);
}
