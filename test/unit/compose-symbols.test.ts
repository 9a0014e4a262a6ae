import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import { getLanguageService } from '../../server/src/service/languageService';

const lines = (...text: string[]) => text.join('\n') + '\n';

function outline(text: string): { symbols: DocumentSymbol[]; document: TextDocument } {
  const document = TextDocument.create('file:///p/compose.yaml', 'dockercompose', 1, text);
  return { symbols: getLanguageService().documentSymbols(document), document };
}

/** The outline as indented `name (detail)` lines. */
function render(symbols: DocumentSymbol[], depth = 0): string[] {
  return symbols.flatMap((symbol) => [`${'  '.repeat(depth)}${symbol.name}${symbol.detail ? ` (${symbol.detail})` : ''}`, ...render(symbol.children ?? [], depth + 1)]);
}

describe('compose document symbols', () => {
  it('outlines sections, services with their keys, and declared networks, volumes, secrets and configs', () => {
    const { symbols } = outline(
      lines(
        'name: shop',
        'services:',
        '  web:',
        '    image: nginx:1.27',
        '    ports:',
        '      - "80:80"',
        '      - "443:443"',
        '    depends_on: [api]',
        '  api:',
        '    build: ./api',
        '    environment:',
        '      MODE: production',
        'networks:',
        '  front:',
        'volumes:',
        '  pgdata:',
        '    driver: local',
        'secrets:',
        '  token:',
        '    file: ./token.txt',
      ),
    );
    assert.deepEqual(render(symbols), [
      'name (shop)',
      'services (2 services)',
      '  web (nginx:1.27)',
      '    image (nginx:1.27)',
      '    ports (2 items)',
      '    depends_on (1 item)',
      '  api (build)',
      '    build (./api)',
      '    environment (1 key)',
      'networks (1 network)',
      '  front',
      'volumes (1 volume)',
      '  pgdata (1 key)',
      'secrets (1 secret)',
      '  token (1 key)',
    ]);
    assert.equal(symbols[1]!.kind, SymbolKind.Module);
    assert.equal(symbols[1]!.children![0]!.kind, SymbolKind.Class);
  });

  it('gives each symbol the range of its key and value, selecting the key', () => {
    const { symbols, document } = outline(lines('services:', '  web:', '    image: nginx', '    restart: always', '  db:', '    image: postgres'));
    const web = symbols[0]!.children![0]!;
    assert.equal(document.getText(web.selectionRange), 'web');
    assert.equal(document.getText(web.range), 'web:\n    image: nginx\n    restart: always');
  });

  it('leaves out keys a merge key brings in, and covers every YAML document', () => {
    const { symbols } = outline(lines('x-base: &base', '  restart: always', 'services:', '  web:', '    <<: *base', '    image: nginx', '---', 'services:', '  extra:', '    image: busybox'));
    assert.deepEqual(render(symbols), ['x-base (1 key)', 'services (1 service)', '  web (nginx)', '    image (nginx)', 'services (1 service)', '  extra (busybox)', '    image (busybox)']);
  });

  it('still outlines what parses in a file with a syntax error', () => {
    const { symbols } = outline(lines('services:', '  web:', '    image: nginx', '  db:', '    image: "unclosed', 'volumes:', '  data:'));
    const names = render(symbols).map((line) => line.trim().split(' ')[0]);
    assert.ok(names.includes('services') && names.includes('web'), names.join(','));
  });
});
