/**
 * Node flags the editor starts the language server with.
 *
 * `--max-semi-space-size=32`: linting keeps the whole tree of the document
 * alive (a 2,000-line Dockerfile: about 5 MB of small objects) while it
 * allocates several times that in short-lived values, so with V8's default
 * young generation (16 MB per semi-space) a lint triggers scavenges that each
 * copy the live tree again: typing into a RUN of that file took 1.2 ms in
 * about half the runs of test/bench/lint.bench.ts instead of 0.7, and the
 * first edit after opening it 2.1 ms instead of 1.4.
 *
 * `--no-allocation-site-pretenuring`: with the larger young generation, V8
 * sometimes decides, from a few lints whose trees outlived a scavenge, to
 * allocate every object of those kinds in the old generation from then on,
 * short-lived ones included; every later lint then ran about a quarter slower
 * (a first lint of the bench's 200-line Dockerfile 0.41 ms instead of 0.34, in
 * about half the runs). Without it the figures are the fast ones every time.
 * Its cost: a first diagnostics run of a 1,000-service compose file keeps more
 * of its tree through scavenges, 40–46 ms instead of 33–38 (test/bench/compose.bench.ts).
 *
 * Both benches run under these flags (`npm run bench lint` also prints the
 * large file under Node's defaults). The cost is memory the young generation
 * may grow into while the user types.
 */
export const LANGUAGE_SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32', '--no-allocation-site-pretenuring'];
