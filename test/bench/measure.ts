/**
 * Median wall time in ms of `run`, after warming up; enough rounds to smooth noise.
 * The warm-up lasts a little while, not just a few rounds: code this large (over a
 * hundred rules) is still being compiled by the JIT after five, which would
 * measure start-up rather than the steady state.
 */
export function measure(run: () => void, options: { minRounds?: number; minMs?: number; warmUpMs?: number } = {}): number {
  return measureRuns(run, options).median;
}

/** As `measure`, with the fastest round too: on a busy machine the least disturbed figure. */
export function measureRuns(run: () => void, { minRounds = 20, minMs = 500, warmUpMs = 200 } = {}): { median: number; best: number } {
  const warmUp = performance.now();
  for (let i = 0; i < 5 || performance.now() - warmUp < warmUpMs; i++) run();
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < minRounds || performance.now() - started < minMs) {
    const t0 = performance.now();
    run();
    samples.push(performance.now() - t0);
    if (samples.length > 10_000) break;
  }
  samples.sort((a, b) => a - b);
  return { median: samples[samples.length >> 1]!, best: samples[0]! };
}

export function table(rows: (string | number)[][]): string {
  const cells = rows.map((row) => row.map((cell) => (typeof cell !== 'number' ? cell : Number.isInteger(cell) ? String(cell) : cell.toFixed(cell < 10 ? 3 : 1))));
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  return cells.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')).join('\n');
}
