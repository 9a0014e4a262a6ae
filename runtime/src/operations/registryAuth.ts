// The X-Registry-Auth header for a pull or push, from the docker CLI's own
// configuration: a credential helper for the registry (`credHelpers`), else
// the credential store (`credsStore`), else a stored `auths` entry; anonymous
// when none has credentials for it.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

const DOCKER_HUB = 'https://index.docker.io/v1/';

interface DockerConfig {
  auths?: Record<string, { auth?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

interface Credentials {
  username?: string;
  password?: string;
  identitytoken?: string;
  serveraddress: string;
}

/** The registry an image name lives on, as the docker CLI keys its credentials. */
export function registryOf(name: string): string {
  const first = name.split('/')[0]!;
  return name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : DOCKER_HUB;
}

/** Asks `docker-credential-<helper> get` (argv, no shell; the registry on stdin). */
function askHelper(helper: string, registry: string, env: NodeJS.ProcessEnv): Promise<Credentials | undefined> {
  if (!/^[a-zA-Z0-9_.-]+$/.test(helper)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    let stdout = '';
    const child = spawn(`docker-credential-${helper}`, ['get'], { env, stdio: ['pipe', 'pipe', 'ignore'], shell: false, timeout: 10_000 });
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => {
      if (code !== 0) return resolve(undefined); // "credentials not found": anonymous
      try {
        const answer = JSON.parse(stdout) as { Username?: string; Secret?: string };
        if (!answer.Secret) return resolve(undefined);
        // A helper stores an identity token under the user name `<token>`.
        resolve(answer.Username === '<token>' ? { identitytoken: answer.Secret, serveraddress: registry } : { username: answer.Username ?? '', password: answer.Secret, serveraddress: registry });
      } catch {
        resolve(undefined);
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(registry);
  });
}

/** The credentials the docker CLI would use for an image name, or undefined (anonymous). */
export async function credentialsFor(name: string, env: NodeJS.ProcessEnv = process.env): Promise<Credentials | undefined> {
  const registry = registryOf(name);
  let config: DockerConfig;
  try {
    config = JSON.parse(await readFile(join(env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json'), 'utf8')) as DockerConfig;
  } catch {
    return undefined;
  }
  const helper = config.credHelpers?.[registry] ?? config.credsStore;
  if (helper) {
    const found = await askHelper(helper, registry, env);
    if (found) return found;
  }
  const entry = config.auths?.[registry] ?? config.auths?.[`https://${registry}`];
  if (entry?.identitytoken) return { identitytoken: entry.identitytoken, serveraddress: registry };
  if (entry?.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress: registry };
  }
  return undefined;
}

/**
 * The header's value: JSON in the URL-safe base64 alphabet, `{}` when
 * anonymous. Padded, as the docker CLI sends it: dockerd decodes with Go's
 * padded URL encoding and, when the padding is missing, silently goes on
 * without credentials.
 */
export async function registryAuthHeader(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const base64 = Buffer.from(JSON.stringify((await credentialsFor(name, env)) ?? {})).toString('base64');
  return base64.replace(/\+/g, '-').replace(/\//g, '_');
}
