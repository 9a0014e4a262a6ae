/**
 * Node flags the editor starts the language server with.
 *
 * Linting keeps the whole tree of the document alive (a 2,000-line Dockerfile:
 * about 5 MB of small objects) while it allocates several times that in
 * short-lived values, so with V8's default young generation (16 MB per
 * semi-space) a lint triggers scavenges that each copy the live tree again.
 * A larger semi-space means fewer of them: measured in test/bench/lint.bench.ts,
 * which runs under these flags (`npm run bench lint` prints both).
 * The cost is memory the young generation may grow into while the user types.
 */
export const LANGUAGE_SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
