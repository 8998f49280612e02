import type { ProcessUsage } from '../jobs';

/** Measures the CPU and memory of the part of a job between `start` and `stop`. */
export function startUsage(): { stop(): ProcessUsage } {
  const rssBeforeBytes = process.memoryUsage.rss();
  const cpu = process.cpuUsage();
  return {
    stop: () => {
      const used = process.cpuUsage(cpu);
      // resourceUsage().maxRSS is in kilobytes: the peak over the process's whole life.
      const maxRssBytes = process.resourceUsage().maxRSS * 1024;
      // The bench starts children with --expose-gc; a full GC shows what is retained.
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      return { maxRssBytes, rssBeforeBytes, cpuMs: Math.round((used.user + used.system) / 1000), ...(gc ? { heapAfterGcBytes: process.memoryUsage().heapUsed } : {}) };
    },
  };
}
