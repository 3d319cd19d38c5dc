/**
 * What every benchmark section states about where it ran: CPU, cores, memory, the load on the
 * machine when it started (other work shares this VM), the runtime and the operating system.
 * Read once at the start of a run, before the benchmark itself loads the machine.
 */
import fs from 'node:fs';
import os from 'node:os';

export interface MachineDescription {
  cpuModel: string;
  /** Logical CPUs the operating system reports. */
  cores: number;
  memoryBytes: number;
  /** 1-, 5- and 15-minute load averages when the description was taken. */
  loadAverage1m: number;
  loadAverage5m: number;
  loadAverage15m: number;
  /**
   * Linux pressure stall information: the share of the last 10 s in which some runnable task
   * waited for a CPU, in percent; null where /proc/pressure is absent. Other work on a shared
   * machine shows up here.
   */
  cpuPressureSomeAvg10: number | null;
  nodeVersion: string;
  opensslVersion: string;
  operatingSystem: string;
  /** ISO 8601, UTC. */
  takenAt: string;
}

export function describeMachine(): MachineDescription {
  const cpus = os.cpus();
  const [loadAverage1m = 0, loadAverage5m = 0, loadAverage15m = 0] = os.loadavg();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryBytes: os.totalmem(),
    loadAverage1m,
    loadAverage5m,
    loadAverage15m,
    cpuPressureSomeAvg10: cpuPressureSomeAvg10(),
    nodeVersion: process.version,
    opensslVersion: process.versions.openssl ?? 'none',
    operatingSystem: `${os.type()} ${os.release()}`,
    takenAt: new Date().toISOString(),
  };
}

function cpuPressureSomeAvg10(): number | null {
  try {
    const match = /^some avg10=([0-9.]+)/m.exec(fs.readFileSync('/proc/pressure/cpu', 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** "load average 1.02, CPU pressure 12.3%": how busy the machine was when described. */
export function formatMachineLoad(machine: MachineDescription): string {
  const pressure = machine.cpuPressureSomeAvg10 === null ? '' : `, CPU pressure (some, 10 s) ${machine.cpuPressureSomeAvg10.toFixed(1)}%`;
  return `1-minute load average ${machine.loadAverage1m.toFixed(2)}${pressure}`;
}

/** Runtime and hardware, in the style of BENCHMARKS.md's other sections. */
export function formatMachine(machine: MachineDescription): string {
  return (
    `Node.js ${machine.nodeVersion} with OpenSSL ${machine.opensslVersion} · ${machine.cpuModel}, ${machine.cores} cores, ` +
    `${(machine.memoryBytes / 2 ** 30).toFixed(1)} GiB memory · ${machine.operatingSystem}`
  );
}
