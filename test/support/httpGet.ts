import { request } from 'node:http';

/** GET `url` → the body, or `error: <message>` (a server still starting, a refused port): tests retry on it. */
export function httpGet(url: string): Promise<string> {
  return new Promise((resolve) => {
    const req = request(url, { timeout: 2_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(body));
    });
    req.on('error', (error) => resolve(`error: ${error.message}`));
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.end();
  });
}
