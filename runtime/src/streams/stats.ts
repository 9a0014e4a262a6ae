// One Engine API stats document → the compact figures a client shows, computed
// as `docker stats` does (docker/cli cli/command/container/stats_helpers.go).
import type { StatsSample } from '../protocol/types';

interface CpuStats {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] | null };
  system_cpu_usage?: number;
  online_cpus?: number;
}

export interface ApiStats {
  read?: string;
  pids_stats?: { current?: number };
  cpu_stats?: CpuStats;
  precpu_stats?: CpuStats;
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> | null };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }> | null;
  blkio_stats?: { io_service_bytes_recursive?: { op: string; value: number }[] | null };
}

const round2 = (value: number) => Math.round(value * 100) / 100;

export function toStatsSample(stats: ApiStats): StatsSample {
  const cpu = stats.cpu_stats ?? {};
  const precpu = stats.precpu_stats ?? {};
  const cpuDelta = (cpu.cpu_usage?.total_usage ?? 0) - (precpu.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu.system_cpu_usage ?? 0) - (precpu.system_cpu_usage ?? 0);
  const onlineCpus = cpu.online_cpus || cpu.cpu_usage?.percpu_usage?.length || 1;
  const cpuPercent = systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * onlineCpus * 100 : 0;

  // The page cache is not the container's own memory: cgroup v1 names it
  // total_inactive_file, v2 inactive_file.
  const memory = stats.memory_stats ?? {};
  const usage = memory.usage ?? 0;
  const inactive = memory.stats?.total_inactive_file ?? memory.stats?.inactive_file;
  const memoryUsage = inactive !== undefined && inactive < usage ? usage - inactive : usage;
  const memoryLimit = memory.limit ?? 0;

  let networkRx = 0;
  let networkTx = 0;
  for (const network of Object.values(stats.networks ?? {})) {
    networkRx += network.rx_bytes ?? 0;
    networkTx += network.tx_bytes ?? 0;
  }
  let blockRead = 0;
  let blockWrite = 0;
  for (const entry of stats.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = entry.op.toLowerCase();
    if (op === 'read') blockRead += entry.value;
    else if (op === 'write') blockWrite += entry.value;
  }

  return {
    time: stats.read && !stats.read.startsWith('0001-') ? stats.read : new Date().toISOString(),
    cpuPercent: round2(cpuPercent),
    onlineCpus,
    memoryUsage,
    memoryLimit,
    memoryPercent: memoryLimit > 0 ? round2((memoryUsage / memoryLimit) * 100) : 0,
    networkRx,
    networkTx,
    blockRead,
    blockWrite,
    pids: stats.pids_stats?.current ?? 0,
  };
}
