// `npm run bench:raft`: throughput, latency and leader failover of the reference Raft server
// (3 real nodes on loopback, fsync on, default settings), and of etcd when `etcd` is on PATH,
// driven the same way. Prints a table and writes reports/bench/raft-<time>.json.
//
// Flags: --duration-ms 5000 (each measurement), --warmup-ms 2000, --in-flight 1,16,64,
// --failover-rounds 10, --no-etcd, --no-raft, --max-total-ms 900000 (then everything is killed),
// --profile-dir DIR (raft nodes run with --cpu-prof and stop gracefully so profiles land in DIR).

import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findEtcd } from './etcd-local-cluster.js';
import { formatReport, type SystemReport } from './raft-bench-table.js';
import { startEtcdSystem, startRaftSystem, type BenchSystem } from './raft-bench-systems.js';
import { measureFailover } from './raft-failover.js';
import { runClosedLoop, type LoadResult } from './raft-load.js';
import { killAllProcessGroups } from '../harness/platforms/local/exit-cleanup.js';

interface BenchOptions {
  durationMs: number;
  warmupMs: number;
  inFlight: number[];
  failoverRounds: number;
  etcd: boolean;
  raft: boolean;
  maxTotalMs: number;
  profileDir: string | null;
}

const etcdHeartbeatIntervalMs = 50;
const etcdElectionTimeoutMs = 300;
const keyCount = 1000;
const value = 'v'.repeat(32);

function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      'duration-ms': { type: 'string', default: '5000' },
      'warmup-ms': { type: 'string', default: '2000' },
      'in-flight': { type: 'string', default: '1,16,64' },
      'failover-rounds': { type: 'string', default: '10' },
      'no-etcd': { type: 'boolean', default: false },
      'no-raft': { type: 'boolean', default: false },
      'max-total-ms': { type: 'string', default: '900000' },
      'profile-dir': { type: 'string' },
    },
  });
  const number = (flag: string, text: string, min: number) => {
    const parsed = Number(text);
    if (!Number.isInteger(parsed) || parsed < min) throw new Error(`--${flag}: expected an integer >= ${min}, got "${text}"`);
    return parsed;
  };
  return {
    durationMs: number('duration-ms', values['duration-ms'], 100),
    warmupMs: number('warmup-ms', values['warmup-ms'], 0),
    inFlight: values['in-flight'].split(',').map((part) => number('in-flight', part.trim(), 1)),
    failoverRounds: number('failover-rounds', values['failover-rounds'], 0),
    etcd: !values['no-etcd'],
    raft: !values['no-raft'],
    maxTotalMs: number('max-total-ms', values['max-total-ms'], 1000),
    profileDir: values['profile-dir'] ?? null,
  };
}

const progress = (message: string) => process.stderr.write(`${message}\n`);
const keyFor = (worker: number, iteration: number) => `key-${(worker * 131 + iteration) % keyCount}`;

/** Writes every key once, so that every get reads a present key. */
async function seedKeys(system: BenchSystem): Promise<void> {
  let next = 0;
  const writer = async () => {
    while (next < keyCount) await system.put(`key-${next++}`, value);
  };
  await Promise.all(Array.from({ length: 16 }, writer));
}

function assertAllRunning(system: BenchSystem): void {
  const exits = system.unexpectedExits();
  if (exits.length > 0) throw new Error(`a node exited during the measurement, so the numbers are not those of a 3-node cluster:\n${exits.join('\n')}`);
}

async function benchSystem(system: BenchSystem, options: BenchOptions): Promise<SystemReport> {
  let failed = false;
  try {
    const leader = await system.leader();
    progress(`${system.name}: leader ${leader}; warming up for ${options.warmupMs} ms`);
    await runClosedLoop(Math.max(...options.inFlight), options.warmupMs, (worker, iteration) => system.put(keyFor(worker, iteration), value));
    await seedKeys(system);
    const throughput: Array<{ inFlight: number; puts: LoadResult; gets: LoadResult }> = [];
    for (const inFlight of options.inFlight) {
      const puts = await runClosedLoop(inFlight, options.durationMs, (worker, iteration) => system.put(keyFor(worker, iteration), value));
      const gets = await runClosedLoop(inFlight, options.durationMs, (worker, iteration) => system.get(keyFor(worker, iteration)));
      assertAllRunning(system);
      progress(`${system.name}: ${inFlight} in flight: ${puts.operationsPerSecond} puts/s (p99 ${puts.latencyMsP99} ms), ${gets.operationsPerSecond} gets/s (p99 ${gets.latencyMsP99} ms)`);
      throughput.push({ inFlight, puts, gets });
    }
    const failover =
      options.failoverRounds === 0
        ? null
        : await measureFailover(system, { rounds: options.failoverRounds, writeIntervalMs: 5, settleMs: 300, roundTimeoutMs: 20_000, progress: (line) => progress(`${system.name}: ${line}`) });
    assertAllRunning(system);
    return { name: system.name, throughput, failover };
  } catch (error) {
    failed = true;
    throw new Error(`${system.name} benchmark failed: ${(error as Error).message}\nnode logs and data kept in ${system.workDir}`);
  } finally {
    await system.stop(failed);
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const watchdog = setTimeout(() => {
    progress(`benchmark exceeded --max-total-ms ${options.maxTotalMs}; killing everything it started`);
    killAllProcessGroups();
    process.exit(1);
  }, options.maxTotalMs);
  watchdog.unref();
  const maxInFlight = Math.max(...options.inFlight);
  const startedAt = new Date();
  const profiling = options.profileDir === null ? {} : { nodeArguments: ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`], stopGraceMs: 10_000 };
  const raft = options.raft ? await benchSystem(await startRaftSystem({ maxInFlight, ...profiling }), options) : null;
  const etcdPath = findEtcd();
  let etcd: SystemReport | null = null;
  let etcdGrpc: SystemReport | null = null;
  let etcdNote: string;
  if (!options.etcd) etcdNote = 'etcd skipped (--no-etcd)';
  else if (etcdPath === null) etcdNote = 'etcd was not found on PATH (Debian: apt-get install etcd-server); no comparison';
  else {
    const etcdOptions = { etcdPath, maxInFlight, heartbeatIntervalMs: etcdHeartbeatIntervalMs, electionTimeoutMs: etcdElectionTimeoutMs };
    etcd = await benchSystem(await startEtcdSystem({ ...etcdOptions, api: 'gateway' }), options);
    // Failover is etcd's, whichever API: measured once, through the gateway client that moves between members.
    etcdGrpc = await benchSystem(await startEtcdSystem({ ...etcdOptions, api: 'grpc' }), { ...options, failoverRounds: 0 });
    etcdNote =
      `etcd ${etcdPath}, --heartbeat-interval=${etcdHeartbeatIntervalMs} --election-timeout=${etcdElectionTimeoutMs}; ` +
      '`etcd`: JSON gateway over keep-alive HTTP; `etcd-grpc`: native gRPC API (etcd3 client, one HTTP/2 connection to the leader)';
  }
  const report = { startedAt: startedAt.toISOString(), options, machine: machineFacts(), raft, etcd, etcdGrpc, etcdNote };
  process.stdout.write(formatReport(raft, etcd, etcdNote, etcdGrpc));
  const path = writeReport(startedAt, report);
  process.stdout.write(`\nwrote ${path}\n`);
}

function machineFacts(): Record<string, unknown> {
  return { node: process.version, platform: process.platform, cpus: (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? null };
}

function writeReport(startedAt: Date, report: unknown): string {
  const directory = fileURLToPath(new URL('../../reports/bench/', import.meta.url));
  mkdirSync(directory, { recursive: true });
  const path = `${directory}raft-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(path, JSON.stringify(report, null, 2) + '\n');
  return path;
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  killAllProcessGroups();
  process.exit(1);
});
