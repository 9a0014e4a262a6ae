import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StatsSample } from '../../runtime/src/protocol/types';
import { toStatsSample } from '../../runtime/src/streams/stats';
import { CHART_HEIGHT, CHART_WIDTH, HISTORY_LENGTH, keepRecent, niceCeiling, polyline, rates, statsPicture } from '../../client/src/views/statsSeries';

const start = Date.parse('2026-11-23T10:00:00Z');

/** A sample `second` seconds after the start, zero where `figures` says nothing. */
function sample(second: number, figures: Partial<StatsSample> = {}): StatsSample {
  return {
    time: new Date(start + second * 1000).toISOString(),
    cpuPercent: 0,
    onlineCpus: 2,
    memoryUsage: 0,
    memoryLimit: 0,
    memoryPercent: 0,
    networkRx: 0,
    networkTx: 0,
    blockRead: 0,
    blockWrite: 0,
    pids: 1,
    ...figures,
  };
}

const chart = (samples: StatsSample[], id: string) => statsPicture(samples).charts.find((candidate) => candidate.id === id)!;
const points = (line: string) => line.split(' ').map((pair) => pair.split(',').map(Number) as [number, number]);

describe('stats panel series', () => {
  it('shows the newest CPU and memory figures the daemon computed from the engine', () => {
    // Two engine documents a second apart, through the daemon's own conversion.
    const engineSample = (read: string, total: number, system: number, precpu: [number, number]) =>
      toStatsSample({
        read,
        cpu_stats: { cpu_usage: { total_usage: total }, system_cpu_usage: system, online_cpus: 2 },
        precpu_stats: { cpu_usage: { total_usage: precpu[0] }, system_cpu_usage: precpu[1] },
        memory_stats: { usage: 60_000_000, limit: 2_000_000_000, stats: { inactive_file: 10_000_000 } },
        pids_stats: { current: 3 },
      });
    const samples = [engineSample('2026-11-23T10:00:00Z', 100, 1000, [0, 0]), engineSample('2026-11-23T10:00:01Z', 350, 2000, [100, 1000])];
    const picture = statsPicture(samples);
    const cpu = picture.charts.find((candidate) => candidate.id === 'cpu')!;
    // (250 / 1000) × 2 CPUs × 100
    assert.equal(cpu.figure, '50.0 %');
    assert.equal(cpu.detail, 'of 2 CPUs (100 % is one CPU)');
    const memory = picture.charts.find((candidate) => candidate.id === 'memory')!;
    assert.equal(memory.figure, '50 MB / 2.0 GB', 'usage without the page cache, over the limit');
    assert.equal(memory.detail, '2.5 % of the limit');
    assert.equal(picture.pids, 3);
    assert.equal(picture.time, '2026-11-23T10:00:01Z');
  });

  it('turns cumulative network and block counters into rates per second', () => {
    const samples = [
      sample(0, { networkRx: 1000, networkTx: 0, blockRead: 0, blockWrite: 4096 }),
      sample(2, { networkRx: 5000, networkTx: 600, blockRead: 0, blockWrite: 4096 }),
      sample(3, { networkRx: 5000, networkTx: 900, blockRead: 2_000_000, blockWrite: 8192 }),
    ];
    assert.deepEqual(rates(samples, (s) => s.networkRx), [2000, 0]);
    assert.deepEqual(rates(samples, (s) => s.networkTx), [300, 300]);
    assert.equal(chart(samples, 'network').figure, '↓ 0 B/s ↑ 300 B/s');
    assert.equal(chart(samples, 'network').detail, 'received 5.0 kB, sent 900 B in all');
    assert.equal(chart(samples, 'block').figure, 'read 2.0 MB/s, write 4.1 kB/s');
  });

  it('counts a counter that went down (a restart) as no traffic, never a negative rate', () => {
    const samples = [sample(0, { networkRx: 9000 }), sample(1, { networkRx: 100 }), sample(2, { networkRx: 600 })];
    assert.deepEqual(rates(samples, (s) => s.networkRx), [0, 500]);
  });

  it('has no rate figure before a second sample, and no figure at all before the first', () => {
    assert.equal(chart([sample(0, { cpuPercent: 3 })], 'network').figure, '–');
    assert.equal(chart([sample(0, { cpuPercent: 3 })], 'cpu').figure, '3.0 %');
    const empty = statsPicture([]);
    assert.deepEqual(
      empty.charts.map((candidate) => candidate.figure),
      ['–', '–', '–', '–'],
    );
    assert.equal(empty.pids, undefined);
  });

  it('says when memory has no limit', () => {
    assert.equal(chart([sample(0, { memoryUsage: 1_500_000 })], 'memory').figure, '1.5 MB');
    assert.equal(chart([sample(0, { memoryUsage: 1_500_000 })], 'memory').detail, 'no limit');
  });

  it('keeps the last minute of samples', () => {
    let samples: StatsSample[] = [];
    for (let second = 0; second < HISTORY_LENGTH + 15; second++) samples = keepRecent(samples, sample(second, { cpuPercent: second }));
    assert.equal(samples.length, HISTORY_LENGTH);
    assert.equal(samples[0]!.cpuPercent, 15);
    assert.equal(samples.at(-1)!.cpuPercent, HISTORY_LENGTH + 14);
    assert.equal(points(chart(samples, 'cpu').lines[0]!.points).length, HISTORY_LENGTH);
  });

  it('draws the newest value at the right edge and the scale at the top', () => {
    const samples = [sample(0, { cpuPercent: 10 }), sample(1, { cpuPercent: 40 }), sample(2, { cpuPercent: 20 })];
    const cpu = chart(samples, 'cpu');
    assert.equal(cpu.scale, '50 %', 'the busiest sample, rounded up to a plain number');
    const drawn = points(cpu.lines[0]!.points);
    assert.equal(drawn.length, 3);
    assert.equal(drawn.at(-1)![0], CHART_WIDTH, 'newest at the right edge');
    assert.ok(drawn[0]![0] < drawn[1]![0] && drawn[1]![0] < drawn[2]![0], 'time runs left to right');
    assert.deepEqual(
      drawn.map(([, y]) => y),
      [CHART_HEIGHT * 0.8, CHART_HEIGHT * 0.2, CHART_HEIGHT * 0.6],
      'heights proportional to the values (SVG y grows downwards)',
    );
    // The two network lines share one scale: the larger rate sets it.
    const network = chart([sample(0), sample(1, { networkRx: 3000, networkTx: 700 })], 'network');
    assert.equal(network.scale, '5.0 kB/s');
    assert.deepEqual(network.lines.map((line) => line.label), ['received', 'sent']);
  });

  it('rounds scales up to 1, 2 or 5 × 10ⁿ, never below the floor', () => {
    assert.equal(niceCeiling(0, 1), 1);
    assert.equal(niceCeiling(0.3, 1), 1);
    assert.equal(niceCeiling(1.2, 1), 2);
    assert.equal(niceCeiling(37, 1), 50);
    assert.equal(niceCeiling(101, 1), 200);
    assert.equal(niceCeiling(5_000_001, 1000), 10_000_000);
    assert.equal(polyline([0, 100], 100, 2), `0,${CHART_HEIGHT} ${CHART_WIDTH},0`);
    assert.equal(polyline([500], 100, 2), `${CHART_WIDTH},0`, 'a value above the scale stays inside the chart');
  });
});
