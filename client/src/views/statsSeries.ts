import type { StatsSample } from '../../../runtime/src/protocol/types';
import { formatBytes } from '../format';

/**
 * What the stats panel of one container draws, from its last samples: the
 * figures the daemon computed (as `docker stats` does) plus the network and
 * block I/O rates between samples, as chart lines ready for an SVG. Pure, so
 * the webview only places what it is given.
 */

/** Samples kept and drawn: about a minute at the engine's one sample a second. */
export const HISTORY_LENGTH = 60;
/** The coordinate box of every chart (the SVG's viewBox); the webview scales it. */
export const CHART_WIDTH = 300;
export const CHART_HEIGHT = 80;

export interface ChartLine {
  label: string;
  /** SVG polyline points, newest at the right edge. */
  points: string;
}

export interface Chart {
  id: 'cpu' | 'memory' | 'network' | 'block';
  title: string;
  /** The current figure, e.g. `12.3 %` or `↓ 1.2 kB/s ↑ 300 B/s`. */
  figure: string;
  /** Context for the figure, e.g. `of 2 CPUs` or totals so far. */
  detail: string;
  /** The value the top of the chart stands for. */
  scale: string;
  lines: ChartLine[];
}

export interface StatsPicture {
  charts: Chart[];
  /** Processes in the container, when a sample has come. */
  pids?: number;
  /** When the engine read the newest sample (ISO 8601). */
  time?: string;
}

/** Host → webview: everything to draw, sent whole (a reloaded webview needs no history of messages). */
export interface StatsPanelUpdate {
  kind: 'update';
  container: string;
  picture: StatsPicture;
  /** `live` while samples come; otherwise `text` says why they stopped and the webview offers Reconnect. */
  status: { live: boolean; text: string };
}

/** Webview → host. */
export type StatsPanelRequest = { kind: 'ready' } | { kind: 'reconnect' };

/** The last `HISTORY_LENGTH` samples once `sample` is added. */
export function keepRecent(samples: readonly StatsSample[], sample: StatsSample, length = HISTORY_LENGTH): StatsSample[] {
  return [...samples.slice(Math.max(0, samples.length + 1 - length)), sample];
}

/**
 * Bytes a second of a cumulative counter between consecutive samples. A
 * counter that went down was reset (the container restarted): that interval
 * counts as nothing rather than a negative rate.
 */
export function rates(samples: readonly StatsSample[], counter: (sample: StatsSample) => number): number[] {
  const result: number[] = [];
  for (let index = 1; index < samples.length; index++) {
    const previous = samples[index - 1]!;
    const current = samples[index]!;
    const seconds = (Date.parse(current.time) - Date.parse(previous.time)) / 1000;
    const delta = counter(current) - counter(previous);
    result.push(seconds > 0 && delta > 0 ? delta / seconds : 0);
  }
  return result;
}

/** The smallest 1, 2 or 5 × 10ⁿ at or above `value` (and at or above `floor`), so scales read plainly. */
export function niceCeiling(value: number, floor: number): number {
  const target = Math.max(value, floor);
  const power = 10 ** Math.floor(Math.log10(target));
  for (const step of [1, 2, 5, 10]) if (step * power >= target) return step * power;
  return 10 * power;
}

/** A polyline for `values` scaled so that `top` is the chart's top, the newest value at the right edge. */
export function polyline(values: readonly number[], top: number, slots = HISTORY_LENGTH): string {
  const step = CHART_WIDTH / (slots - 1);
  const offset = slots - values.length;
  return values
    .map((value, index) => {
      const x = (offset + index) * step;
      const y = CHART_HEIGHT - (Math.min(Math.max(value, 0), top) / top) * CHART_HEIGHT;
      return `${round(x)},${round(y)}`;
    })
    .join(' ');
}

const round = (value: number) => Math.round(value * 100) / 100;
const bytesRate = (value: number) => `${formatBytes(Math.round(value))}/s`;
const percent = (value: number) => `${value.toFixed(1)} %`;
const NO_FIGURE = '–';

/** The four charts and current figures of a container's recent samples (oldest first). */
export function statsPicture(samples: readonly StatsSample[]): StatsPicture {
  const latest = samples.at(-1);
  const cpu = samples.map((sample) => sample.cpuPercent);
  const memory = samples.map((sample) => sample.memoryUsage);
  const received = rates(samples, (sample) => sample.networkRx);
  const sent = rates(samples, (sample) => sample.networkTx);
  const read = rates(samples, (sample) => sample.blockRead);
  const written = rates(samples, (sample) => sample.blockWrite);

  const cpuTop = niceCeiling(Math.max(0, ...cpu), 1);
  const memoryTop = niceCeiling(Math.max(0, ...memory), 1_000_000);
  const networkTop = niceCeiling(Math.max(0, ...received, ...sent), 1000);
  const blockTop = niceCeiling(Math.max(0, ...read, ...written), 1000);
  const hasRates = received.length > 0;

  const charts: Chart[] = [
    {
      id: 'cpu',
      title: 'CPU',
      figure: latest ? percent(latest.cpuPercent) : NO_FIGURE,
      detail: latest ? `of ${latest.onlineCpus} CPU${latest.onlineCpus === 1 ? '' : 's'} (100 % is one CPU)` : '',
      scale: `${cpuTop} %`,
      lines: [{ label: 'CPU', points: polyline(cpu, cpuTop) }],
    },
    {
      id: 'memory',
      title: 'Memory',
      figure: latest ? (latest.memoryLimit > 0 ? `${formatBytes(latest.memoryUsage)} / ${formatBytes(latest.memoryLimit)}` : formatBytes(latest.memoryUsage)) : NO_FIGURE,
      detail: latest ? (latest.memoryLimit > 0 ? `${percent(latest.memoryPercent)} of the limit` : 'no limit') : '',
      scale: formatBytes(memoryTop),
      lines: [{ label: 'used', points: polyline(memory, memoryTop) }],
    },
    {
      id: 'network',
      title: 'Network',
      figure: hasRates ? `↓ ${bytesRate(received.at(-1)!)} ↑ ${bytesRate(sent.at(-1)!)}` : NO_FIGURE,
      detail: latest ? `received ${formatBytes(latest.networkRx)}, sent ${formatBytes(latest.networkTx)} in all` : '',
      scale: bytesRate(networkTop),
      lines: [
        { label: 'received', points: polyline(received, networkTop) },
        { label: 'sent', points: polyline(sent, networkTop) },
      ],
    },
    {
      id: 'block',
      title: 'Block I/O',
      figure: hasRates ? `read ${bytesRate(read.at(-1)!)}, write ${bytesRate(written.at(-1)!)}` : NO_FIGURE,
      detail: latest ? `read ${formatBytes(latest.blockRead)}, written ${formatBytes(latest.blockWrite)} in all` : '',
      scale: bytesRate(blockTop),
      lines: [
        { label: 'read', points: polyline(read, blockTop) },
        { label: 'write', points: polyline(written, blockTop) },
      ],
    },
  ];
  return { charts, ...(latest ? { pids: latest.pids, time: latest.time } : {}) };
}
