import { get, getPair } from '../tree';
import { pathText } from '../yaml/builder';
import { defineCheck } from './_shared';

export const NetworkModeWithNetworks = defineCheck({
  id: 'network-mode-with-networks',
  severity: 'error',
  summary: 'A service sets both `network_mode` and `networks`.',
  docs: `\`network_mode\` (\`host\`, \`none\`, \`service:x\`, \`container:x\`) replaces the service's networking entirely, so the networks listed under \`networks\` could not be joined; compose refuses the combination ("declares mutually exclusive network_mode and networks"). Keep one of them.`,
  examples: {
    fire: ['services:\n  web:\n    image: nginx\n    network_mode: host\n    networks: [front]\nnetworks:\n  front:\n'],
    pass: ['services:\n  web:\n    image: nginx\n    network_mode: host\n  api:\n    image: api\n    networks: [front]\nnetworks:\n  front:\n'],
  },
  checkService(service, _context, report) {
    const node = service.node;
    if (!get(node, 'network_mode')) return;
    const networks = getPair(node, 'networks');
    if (!networks) return;
    const value = networks.value;
    if ((value.kind === 'seq' && value.items.length === 0) || (value.kind === 'map' && value.pairs.length === 0) || (value.kind === 'scalar' && value.value === null)) return;
    report({ file: networks.file, range: networks.keyRange, message: `${pathText(['services', service.name, 'networks'])}: cannot be used together with network_mode` });
  },
});
