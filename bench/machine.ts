import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { REPO_ROOT } from './options';

/** The machine a bench ran on, and how busy it was. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly os: string;
  readonly node: string;
  /** 1-minute load average when the bench started and ended. */
  readonly loadAverage: { readonly start: number; readonly end?: number };
  /** Linux PSI: % of the last 60 s in which some runnable task waited for a CPU (other work on the machine). */
  readonly cpuPressurePercent: { readonly start?: number; readonly end?: number };
}

export interface GitInfo {
  readonly commit: string;
  /** Uncommitted changes in the checkout when the bench ran. */
  readonly dirty: boolean;
}

/** `some avg60` of /proc/pressure/cpu, when the kernel exposes it. */
export function cpuPressure(): number | undefined {
  try {
    const match = /some avg10=[\d.]+ avg60=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function machineInfo(): MachineInfo {
  const pressure = cpuPressure();
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    os: `${type()} ${release()}`,
    node: process.version,
    loadAverage: { start: Math.round(loadavg()[0]! * 100) / 100 },
    cpuPressurePercent: pressure === undefined ? {} : { start: pressure },
  };
}

/** The machine info with the load at the end of the bench added. */
export function withEndLoad(info: MachineInfo): MachineInfo {
  const pressure = cpuPressure();
  return {
    ...info,
    loadAverage: { ...info.loadAverage, end: Math.round(loadavg()[0]! * 100) / 100 },
    cpuPressurePercent: pressure === undefined ? info.cpuPressurePercent : { ...info.cpuPressurePercent, end: pressure },
  };
}

/** The checked-out commit (read-only git calls). */
export function gitInfo(): GitInfo {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim() !== '';
    return { commit, dirty };
  } catch {
    return { commit: 'unknown', dirty: true };
  }
}
