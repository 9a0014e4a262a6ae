import { parsePortSpec } from '../ports';
import { get, itemsOf, stringValue } from '../tree';
import { pathText } from '../yaml/builder';
import { defineCheck } from './_shared';
import { portEntries } from './_ports';

export const InvalidPort = defineCheck({
  id: 'invalid-port',
  severity: 'error',
  summary: 'A `ports` or `expose` entry is not a valid port specification.',
  docs: `The short syntax of \`ports\` is \`[[host_ip:]host_port[-end]:]container_port[-end][/protocol]\`: ports from 0 to 65535, ranges that do not run backwards, host and container ranges of the same length (a host range with a single container port is a range to pick a free port from), an IPv4 or IPv6 host address (IPv6 in brackets, \`[::1]:8080:80\`) and a protocol of \`tcp\` (the default), \`udp\` or \`sctp\`. \`expose\` entries are read the same way. In the long syntax, \`target\` is one port, \`published\` a port or a range, \`host_ip\` an address and \`protocol\` one of the three. Compose (or Docker, when the container is created) rejects anything else.

Quote short-syntax ports: unquoted, \`- 21:21\` happens to be read as a string by YAML 1.2, but older YAML readers turn some such values into numbers.`,
  examples: {
    fire: [
      'services:\n  web:\n    image: nginx\n    ports:\n      - "80:http"\n',
      'services:\n  web:\n    image: nginx\n    ports:\n      - "70000:80"\n',
      'services:\n  web:\n    image: nginx\n    ports:\n      - "8080-8082:80-81"\n',
      'services:\n  web:\n    image: nginx\n    ports:\n      - "8080:80/http"\n',
      'services:\n  web:\n    image: nginx\n    ports:\n      - "300.1.1.1:8080:80"\n',
      'services:\n  web:\n    image: nginx\n    expose:\n      - "9000-8000"\n',
      'services:\n  web:\n    image: nginx\n    ports:\n      - target: 80\n        published: "eighty"\n',
    ],
    pass: [
      'services:\n  web:\n    image: nginx\n    ports:\n      - "80"\n      - 8443\n      - "8080:80"\n      - "127.0.0.1:8081:80"\n      - "[::1]:8082:80"\n      - "9000-9002:9000-9002/udp"\n      - "10000-10100:80"\n      - "127.0.0.1::80"\n      - target: 81\n        published: "8000-8010"\n        host_ip: 0.0.0.0\n        protocol: tcp\n    expose: ["3000", "4000-4010/udp"]\n',
      'services:\n  web:\n    image: nginx\n    ports:\n      - "${WEB_PORT}:80"\n',
    ],
  },
  checkService(service, _context, report) {
    const node = service.node;
    for (const entry of portEntries(node)) {
      if (!entry.error) continue;
      const written = entry.node.kind === 'scalar' ? ` "${stringValue(entry.node)}"` : '';
      report({ file: (entry.errorAt ?? entry.node).file, range: (entry.errorAt ?? entry.node).range, message: `${pathText(['services', service.name, 'ports'])}: invalid port${written}: ${entry.error}` });
    }
    for (const item of itemsOf(get(node, 'expose'))) {
      if (item.kind !== 'scalar' || item.unresolved) continue;
      const text = stringValue(item);
      if (text === undefined) continue;
      const parsed = parsePortSpec(text);
      if (!parsed.ok) report({ file: item.file, range: item.range, message: `${pathText(['services', service.name, 'expose'])}: invalid port "${text}": ${parsed.error}` });
    }
  },
});
