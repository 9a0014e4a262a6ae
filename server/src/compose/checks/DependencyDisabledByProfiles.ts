import { locationOf, profilesOf, type Location, type ServiceInfo } from '../model';
import { booleanValue, get, stringValue } from '../tree';
import { pathText } from '../yaml/builder';
import { defineCheck } from './_shared';

export const DependencyDisabledByProfiles = defineCheck({
  id: 'dependency-disabled-by-profiles',
  severity: 'warning',
  summary: 'A service depends on a service that some of the profiles it runs with leave disabled.',
  docs: `A service with \`profiles\` runs only when one of them is active; a service without runs always. When a running service \`depends_on\` a service its profiles leave out, compose stops before starting anything ("service … is required by … but is disabled"). So a plain \`docker compose up\` fails as soon as an always-on service depends on one that has profiles, and \`--profile p\` fails when a service of profile \`p\` depends on one without \`p\`.

Give the dependency the profiles of the services that need it (or none, to run it always), or mark the dependency optional with the long form's \`required: false\`.`,
  examples: {
    fire: [
      'services:\n  web:\n    image: nginx\n    depends_on: [cache]\n  cache:\n    image: redis\n    profiles: [full]\n',
      'services:\n  tests:\n    image: app\n    profiles: [ci, dev]\n    depends_on:\n      db:\n        condition: service_started\n  db:\n    image: postgres\n    profiles: [ci]\n',
    ],
    pass: [
      'services:\n  web:\n    image: nginx\n    depends_on:\n      cache:\n        condition: service_started\n        required: false\n  cache:\n    image: redis\n    profiles: [full]\n',
      'services:\n  tests:\n    image: app\n    profiles: [ci]\n    depends_on: [db, cache]\n  db:\n    image: postgres\n    profiles: [ci, dev]\n  cache:\n    image: redis\n',
    ],
  },
  check(context, report) {
    // Only a dependency with profiles can be disabled: most projects have none, and nothing else is read then.
    const withProfiles = new Map<string, readonly string[]>();
    for (const service of context.services) {
      const profiles = profilesOf(service);
      if (profiles.length > 0) withProfiles.set(service.name, profiles);
    }
    if (withProfiles.size === 0) return;
    const defined = new Set(context.services.map((service) => service.name));
    for (const service of context.services) {
      const runsWith = withProfiles.get(service.name) ?? [];
      for (const { name, where } of requiredDependencies(service)) {
        // An undefined service is undefined-service's finding.
        if (!defined.has(name)) continue;
        const enabledBy = withProfiles.get(name) ?? [];
        if (enabledBy.length === 0) continue;
        const path = pathText(['services', service.name, 'depends_on']);
        const profiles = `[${enabledBy.join(', ')}]`;
        if (runsWith.length === 0) {
          report({ ...where, message: `${path}: ${name} runs only with profiles ${profiles}, but ${service.name} always runs: docker compose up without them stops ("service ${name} is required by ${service.name} but is disabled")` });
          continue;
        }
        const uncovered = runsWith.filter((profile) => !enabledBy.includes(profile));
        if (uncovered.length === 0) continue;
        report({ ...where, message: `${path}: ${name} runs only with profiles ${profiles}, but ${service.name} also runs with ${uncovered.map((profile) => `"${profile}"`).join(', ')}, which leaves ${name} disabled` });
      }
    }
  },
});

/** The services a service's `depends_on` requires (the long form's `required: false` makes one optional), with the node naming each. */
function requiredDependencies(service: ServiceInfo): { name: string; where: Location }[] {
  const dependsOn = get(service.node, 'depends_on');
  if (dependsOn?.kind === 'seq') {
    return dependsOn.items.flatMap((item) => {
      const name = stringValue(item);
      return name === undefined ? [] : [{ name, where: locationOf(item) }];
    });
  }
  if (dependsOn?.kind !== 'map') return [];
  return dependsOn.pairs.flatMap((pair) => (booleanValue(get(pair.value, 'required')) === false ? [] : [{ name: pair.key, where: { file: pair.file, range: pair.keyRange } }]));
}
