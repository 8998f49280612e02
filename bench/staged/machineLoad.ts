import { cpus, loadavg } from 'node:os';
import { cpuPressure } from '../machine';

/** How busy the machine was at one moment: `uptime`'s 1-minute load average and Linux's CPU pressure. */
export interface LoadReading {
  readonly loadAverage: number;
  /** % of the last 60 s in which a runnable task waited for a CPU (absent where the kernel has no PSI). */
  readonly cpuPressurePercent?: number;
}

/** The machine's load around each pair of runs, and whether it was too busy for the wall times to mean much. */
export interface StagedLoad {
  readonly cores: number;
  readonly beforeBench: LoadReading;
  readonly pairs: readonly { readonly before: LoadReading; readonly after: LoadReading }[];
  /** Any reading above {@link LOADED_LOAD_PER_CORE} per core or {@link LOADED_CPU_PRESSURE_PERCENT}: the wall times are noisy. */
  readonly loaded: boolean;
  readonly verdict: string;
}

/**
 * More runnable tasks than cores means something waits: the bench's own run is one of them, so
 * a 1-minute load above the core count means other work shares the CPUs.
 */
export const LOADED_LOAD_PER_CORE = 1;
/** Runnable tasks waited for a CPU more than this share of the last minute. */
export const LOADED_CPU_PRESSURE_PERCENT = 10;

/**
 * Reads the load now.
 * @example
 *   readLoad(); // { loadAverage: 0.42, cpuPressurePercent: 1.3 }
 */
export function readLoad(): LoadReading {
  const pressure = cpuPressure();
  return { loadAverage: Math.round(loadavg()[0]! * 100) / 100, ...(pressure === undefined ? {} : { cpuPressurePercent: pressure }) };
}

/**
 * One reading as the bench prints it.
 * @example
 *   describeLoad({ loadAverage: 3.1, cpuPressurePercent: 40 }); // 'load 3.1, CPU pressure 40 %'
 */
export function describeLoad(reading: LoadReading): string {
  return `load ${reading.loadAverage}${reading.cpuPressurePercent === undefined ? '' : `, CPU pressure ${reading.cpuPressurePercent} %`}`;
}

/**
 * Whether the machine was loaded while the pairs ran, from the readings before the bench and
 * around each pair, with a sentence saying so and what to do about it (printed and kept in the results).
 * @example
 *   stagedLoad(2, before, [{ before: a, after: b }]).loaded; // true when any reading is above 2.0 or 10 % pressure
 */
export function stagedLoad(cores: number, beforeBench: LoadReading, pairs: StagedLoad['pairs'], advice = 'compare the CPU-time overhead, or re-run on a quiet machine'): StagedLoad {
  const readings = [beforeBench, ...pairs.flatMap((p) => [p.before, p.after])];
  const busiest = readings.reduce((max, r) => Math.max(max, r.loadAverage), 0);
  const pressures = readings.flatMap((r) => (r.cpuPressurePercent === undefined ? [] : [r.cpuPressurePercent]));
  const maxPressure = pressures.length === 0 ? undefined : Math.max(...pressures);
  const loaded = busiest > cores * LOADED_LOAD_PER_CORE || (maxPressure !== undefined && maxPressure > LOADED_CPU_PRESSURE_PERCENT);
  const range = `1-minute load up to ${busiest} on ${cores} core(s)${maxPressure === undefined ? '' : `, CPU pressure up to ${maxPressure} %`}`;
  const verdict = loaded
    ? `LOADED machine (${range}; loaded above ${cores * LOADED_LOAD_PER_CORE} or ${LOADED_CPU_PRESSURE_PERCENT} %): other work shared the CPUs, the wall times are noisy; ${advice}`
    : `quiet machine (${range})`;
  return { cores, beforeBench, pairs, loaded, verdict };
}

/** The machine's core count (what a load average is read against). */
export const coreCount = (): number => cpus().length;
