/**
 * The tag "Build & Run" gives an image, from the `berth.build.tag` setting
 * (default `${folder}:dev`): `${folder}` is the name of the Dockerfile's
 * folder, made into a valid repository name (lower case; letters, digits and
 * the separators the engine accepts).
 */
export function imageTagFor(template: string, folderName: string): string {
  const folder = repositoryComponent(folderName) || 'app';
  const filled = (template.trim() || '${folder}:dev').replace(/\$\{folder\}/g, folder);
  const colon = filled.lastIndexOf(':');
  const hasTag = colon > filled.lastIndexOf('/');
  const repository = hasTag ? filled.slice(0, colon) : filled;
  const tag = hasTag ? filled.slice(colon + 1) : 'latest';
  const cleanRepository = repository
    .split('/')
    .map((part, index) => (index === 0 && /[.:]/.test(part) ? part.toLowerCase() : repositoryComponent(part)))
    .filter(Boolean)
    .join('/');
  const cleanTag = tag.replace(/[^\w.-]/g, '-').replace(/^[.-]+/, '').slice(0, 128) || 'latest';
  return `${cleanRepository || folder}:${cleanTag}`;
}

/** One path component of a repository name: `[a-z0-9]+` joined by `.`, `_`, `__` or `-` runs. */
function repositoryComponent(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|[._-]+$/g, '')
    .replace(/[._-]{2,}/g, (run) => (run === '__' ? run : run[0] === '-' ? '-' : run[0]!));
}
