import type { ParsedComposeFile } from '../parse';
import { describeComposeSchemaSource } from '../schema/facts';
import type { SchemaFinding } from '../schema/types';
import { ServiceSchemaCache } from '../schema/perService';
import { validateComposeTree } from '../schema/tree';
import { defineCheck } from './_shared';
import { MemoSlot } from '../memo';

export const Schema = defineCheck({
  id: 'schema',
  severity: 'error',
  summary: 'A value does not have the shape the Compose Specification allows.',
  docs: `Compose validates every file against the Compose Specification's JSON schema before it looks at what the file means, and refuses a file that does not fit: an unknown key (\`imgae:\`), a value of the wrong type (\`ports: 80\` instead of a list), a value outside an enumeration (\`restart: sometimes\`), a missing required key. The message names the path and the shape that was expected; a misspelled key or value comes with a did-you-mean.

Each compose file of the project (override files, included files, files read by \`extends\`) is checked as written: merge keys applied, keys tagged \`!reset\` left out, values before interpolation. A value that compose will interpolate (\`replicas: \${N}\`) is not judged by type, pattern or enumeration, since its value is unknown until then. Keys starting with \`x-\` are extension fields and may hold anything. A file with a YAML syntax error is not checked against the schema (its \`yaml-syntax\` finding comes first).

Schema: ${describeComposeSchemaSource()}.`,
  examples: {
    fire: [
      'services:\n  web:\n    imgae: nginx\n',
      'services:\n  web:\n    image: nginx\n    cgroup: shared\n',
      'services:\n  web:\n    image: nginx\n    ports: 80\n',
      { files: { 'compose.yaml': 'services:\n  web:\n    image: nginx\n', 'compose.override.yaml': 'services:\n  web:\n    helthcheck:\n      test: ["CMD", "true"]\n' } },
    ],
    pass: [
      'services:\n  web:\n    image: nginx\n    restart: unless-stopped\n    ports: ["8080:80"]\n',
      'x-defaults: &defaults\n  restart: always\nservices:\n  web:\n    <<: *defaults\n    image: nginx\n    deploy:\n      replicas: ${REPLICAS:-2}\n',
    ],
  },
  check(context, report) {
    for (const file of context.project.files.values()) {
      for (const finding of schemaFindings(file.parsed)) {
        report({ file: file.path, range: finding.range, message: finding.message, ...(finding.suggestion ? { suggestion: finding.suggestion } : {}) });
      }
    }
  },
});

/** Per parse: a file whose text did not change (an override file, an include) is not validated again. */
const byParse = new MemoSlot<SchemaFinding[]>();
/** Per file: each service's result, reused by the next version while the service's text is the same (perService.ts). */
const serviceResults = new Map<string, ServiceSchemaCache>();
const FILES_KEPT = 64;

function serviceCacheFor(file: string): ServiceSchemaCache {
  let cache = serviceResults.get(file);
  if (cache) serviceResults.delete(file);
  else {
    cache = new ServiceSchemaCache();
    if (serviceResults.size >= FILES_KEPT) serviceResults.delete(serviceResults.keys().next().value!);
  }
  serviceResults.set(file, cache);
  return cache;
}

function schemaFindings(parsed: ParsedComposeFile): SchemaFinding[] {
  let findings = byParse.get(parsed);
  if (!findings) {
    // On broken YAML the schema's messages would be noise beside the syntax error.
    if (parsed.problems.some((problem) => problem.code === 'yaml-syntax')) findings = [];
    else {
      // Only the fast reader's trees: what a service's text means there depends on nothing around it but its column.
      const perService = parsed.reader === 'fast' ? { cache: serviceCacheFor(parsed.file), anchors: parsed.anchors } : undefined;
      perService?.cache.nextVersion();
      findings = parsed.documents.flatMap((document) => validateComposeTree(document.root, parsed.text, perService));
    }
    byParse.set(parsed, findings);
  }
  return findings;
}
