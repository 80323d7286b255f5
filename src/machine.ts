// The machine a run was measured on, and a fingerprint that says "same kind of machine".
import { createHash } from 'node:crypto';
import os from 'node:os';
import type { Machine } from './schema/results.ts';

const GIB = 1024 ** 3;

/**
 * Fingerprint: the first 12 hex digits of sha256 over os platform, arch, CPU model, core count
 * and memory rounded to whole GiB. Not the hostname, not the OS release, not the Node version:
 * two identical CI runners must match, and a Node upgrade is a change the comparison reports,
 * not a different machine.
 */
export function machineFingerprint(m: { platform: string; arch: string; cpuModel: string; cores: number; memoryBytes: number }): string {
  const memGiB = Math.round(m.memoryBytes / GIB);
  const key = [m.platform, m.arch, m.cpuModel.trim().replace(/\s+/g, ' '), String(m.cores), `${memGiB}GiB`].join('|');
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

export function machineInfo(): Machine {
  const cpus = os.cpus();
  const cpuModel = (cpus[0]?.model ?? 'unknown').trim().replace(/\s+/g, ' ') || 'unknown';
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length;
  const memoryBytes = os.totalmem();
  const platform = os.platform();
  const arch = os.arch();
  return {
    fingerprint: machineFingerprint({ platform, arch, cpuModel, cores, memoryBytes }),
    os: `${platform} ${os.release()}`,
    arch,
    cpuModel,
    cores,
    memoryBytes,
    node: process.versions.node,
    v8: process.versions.v8,
    hostname: os.hostname(),
  };
}
