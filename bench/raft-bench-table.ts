// The benchmark's printed table, the raft/etcd ratios and the targets, from measured numbers.

import type { FailoverResult } from './raft-failover.js';
import { round, type LoadResult } from './raft-load.js';

export interface SystemReport {
  name: string;
  throughput: Array<{ inFlight: number; puts: LoadResult; gets: LoadResult }>;
  failover: FailoverResult | null;
}

const columns = ['system', 'in flight', 'puts/s', 'put p50 ms', 'put p99 ms', 'gets/s', 'get p50 ms', 'get p99 ms', 'errors'];

export interface BenchFigures {
  raft: SystemReport | null;
  etcd: SystemReport | null;
  etcdGrpc: SystemReport | null;
  etcdNote: string;
  disk: DiskFigures | null;
}

/** 128-byte writes + fdatasync on the clusters' disk, taken in turns with the 1-in-flight puts (disk-turn.ts). */
export interface DiskFigures {
  directory: string;
  /** One at a time. */
  one: LoadResult;
  /** Two files at once, done when both are durable: the two copies a commit waits for. */
  two: LoadResult;
}

export function formatReport({ raft, etcd, etcdGrpc, etcdNote, disk }: BenchFigures): string {
  const rows: string[][] = [];
  const systems = [raft, etcd, etcdGrpc];
  for (const system of systems) {
    if (system === null) continue;
    for (const { inFlight, puts, gets } of system.throughput) {
      rows.push([system.name, `${inFlight}`, `${puts.operationsPerSecond}`, `${puts.latencyMsP50}`, `${puts.latencyMsP99}`, `${gets.operationsPerSecond}`, `${gets.latencyMsP50}`, `${gets.latencyMsP99}`, `${puts.errors + gets.errors}`]);
    }
  }
  const lines = [table(columns, rows), ...errorLines(systems), '', 'leader failover (kill -9 under write load, to the next acknowledged write):'];
  for (const system of systems) {
    if (system?.failover) lines.push(`  ${system.name}: median ${system.failover.medianMs} ms, min ${system.failover.minMs} ms, max ${system.failover.maxMs} ms over ${system.failover.roundsMs.length} rounds [${system.failover.roundsMs.join(', ')}]`);
  }
  lines.push('', etcdNote);
  if (disk !== null) lines.push('', ...diskLines(raft, disk));
  if (raft !== null && etcd !== null) lines.push('', ...ratioLines(raft, etcd));
  if (raft !== null && etcdGrpc !== null) lines.push('', ...ratioLines(raft, etcdGrpc));
  return lines.join('\n') + '\n';
}

/** The disk's speed in this run, and what a 1-in-flight put took beyond two durable copies on it. */
function diskLines(raft: SystemReport | null, disk: DiskFigures): string[] {
  const lines = [
    `disk (${disk.directory}, 128-byte write + fdatasync, in turns with the 1-in-flight puts):`,
    `  one alone: p50 ${disk.one.latencyMsP50} ms, p99 ${disk.one.latencyMsP99} ms; two files at once (the two durable copies a commit waits for): p50 ${disk.two.latencyMsP50} ms, p99 ${disk.two.latencyMsP99} ms`,
  ];
  const putP50 = raft?.throughput.find((row) => row.inFlight === 1)?.puts.latencyMsP50;
  if (putP50 !== undefined) lines.push(`  raft put p50 at 1 in flight ${putP50} ms = two copies ${disk.two.latencyMsP50} ms + ${round(putP50 - disk.two.latencyMsP50)} ms of the server's own (network hops, processing)`);
  return lines;
}

function errorLines(systems: Array<SystemReport | null>): string[] {
  const lines: string[] = [];
  for (const system of systems) {
    for (const row of system?.throughput ?? []) {
      if (row.puts.errors + row.gets.errors === 0) continue;
      lines.push(`errors: ${system!.name} at ${row.inFlight} in flight: puts ${JSON.stringify(row.puts.errorsByCode)}, gets ${JSON.stringify(row.gets.errorsByCode)}`);
    }
  }
  return lines;
}

function ratioLines(raft: SystemReport, etcd: SystemReport): string[] {
  const lines = [`raft/${etcd.name} ratios (throughput: higher is better; latency and failover: lower is better):`];
  for (const ours of raft.throughput) {
    const theirs = etcd.throughput.find((row) => row.inFlight === ours.inFlight);
    if (theirs === undefined) continue;
    lines.push(
      `  ${ours.inFlight} in flight: puts/s ${ratio(ours.puts.operationsPerSecond, theirs.puts.operationsPerSecond)}, gets/s ${ratio(ours.gets.operationsPerSecond, theirs.gets.operationsPerSecond)}, put p99 ${ratio(ours.puts.latencyMsP99, theirs.puts.latencyMsP99)}, get p99 ${ratio(ours.gets.latencyMsP99, theirs.gets.latencyMsP99)}`,
    );
  }
  if (raft.failover && etcd.failover) lines.push(`  failover median ${ratio(raft.failover.medianMs, etcd.failover.medianMs)}`);
  lines.push('', ...targetLines(raft, etcd));
  return lines;
}

function targetLines(raft: SystemReport, etcd: SystemReport): string[] {
  const ours = raft.throughput.find((row) => row.inFlight === 64);
  const theirs = etcd.throughput.find((row) => row.inFlight === 64);
  const lines = [`targets against ${etcd.name}:`];
  const oursAtOne = raft.throughput.find((row) => row.inFlight === 1);
  const theirsAtOne = etcd.throughput.find((row) => row.inFlight === 1);
  if (oursAtOne && theirsAtOne) {
    lines.push(verdict('puts/s at 1 in flight >= 2x etcd', oursAtOne.puts.operationsPerSecond >= 2 * theirsAtOne.puts.operationsPerSecond));
    lines.push(verdict('put p50 at 1 in flight < 0.8 ms', oursAtOne.puts.latencyMsP50 < 0.8));
  }
  if (ours && theirs) {
    lines.push(verdict('puts/s at 64 in flight >= 1.5x etcd', ours.puts.operationsPerSecond >= 1.5 * theirs.puts.operationsPerSecond));
    lines.push(verdict('gets/s at 64 in flight >= 1.5x etcd', ours.gets.operationsPerSecond >= 1.5 * theirs.gets.operationsPerSecond));
    lines.push(verdict('put p99 at 64 in flight <= etcd', ours.puts.latencyMsP99 <= theirs.puts.latencyMsP99));
    lines.push(verdict('get p99 at 64 in flight <= etcd', ours.gets.latencyMsP99 <= theirs.gets.latencyMsP99));
  }
  if (raft.failover) lines.push(verdict('failover median <= 300 ms', raft.failover.medianMs <= 300));
  return lines;
}

function verdict(name: string, met: boolean): string {
  return `  ${met ? 'met  ' : 'MISSED'} ${name}`;
}

function ratio(ours: number, theirs: number): string {
  return theirs === 0 || !Number.isFinite(ours / theirs) ? 'n/a' : `${(ours / theirs).toFixed(2)}x`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const format = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [format(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(format)].join('\n');
}
