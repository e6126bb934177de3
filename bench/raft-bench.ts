// `npm run bench:raft`: throughput, latency and leader failover of the reference Raft server
// (3 real nodes on loopback, fsync on, default settings), and of etcd when `etcd` is on PATH,
// driven the same way. Prints a table and writes reports/bench/raft-<time>.json.
//
// Both clusters run at once and each measurement is taken in turns: slices of --slice-ms for
// raft, etcd through its gateway and etcd through gRPC, the first of them rotating, until each
// has had --duration-ms. So a ratio compares the systems under the same load of the machine,
// not under whatever else ran during their separate seconds. The 1-in-flight puts take turns
// with two more participants on the same disk (disk-turn.ts): one write + fdatasync, and two at
// once (the two durable copies a commit waits for), so the report shows how fast the disk was
// while the put p50 was measured.
//
// Flags: --duration-ms 5000 (each measurement, per system), --slice-ms 500, --warmup-ms 2000,
// --in-flight 1,16,64, --failover-rounds 10, --no-etcd, --no-raft, --max-total-ms 900000 (then
// everything is killed), --profile-dir DIR (raft nodes run with --cpu-prof and stop gracefully so
// profiles land in DIR).

import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openDiskTurn, type DiskTurn } from './disk-turn.js';
import { findEtcd } from './etcd-local-cluster.js';
import { formatReport, type DiskFigures, type SystemReport } from './raft-bench-table.js';
import { startEtcdSystems, startRaftCluster, type BenchCluster, type BenchSystem } from './raft-bench-systems.js';
import { measureFailover, type FailoverResult } from './raft-failover.js';
import { LoadTally, runClosedLoop, type LoadOutcome, type LoadResult } from './raft-load.js';
import { killAllProcessGroups } from '../harness/platforms/local/exit-cleanup.js';

interface BenchOptions {
  durationMs: number;
  sliceMs: number;
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
      'slice-ms': { type: 'string', default: '500' },
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
    sliceMs: number('slice-ms', values['slice-ms'], 50),
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

/** Finds the leader, warms up at the highest concurrency, and writes every key once. */
async function prepare(system: BenchSystem, options: BenchOptions): Promise<void> {
  const leader = await system.leader();
  progress(`${system.name}: leader ${leader}; warming up for ${options.warmupMs} ms`);
  await runClosedLoop(Math.max(...options.inFlight), options.warmupMs, putsTo(system));
  await seedKeys(system);
}

type Workload = (worker: number, iteration: number) => Promise<LoadOutcome>;
const putsTo = (system: BenchSystem): Workload => (worker, iteration) => system.put(keyFor(worker, iteration), value);
const getsFrom = (system: BenchSystem): Workload => (worker, iteration) => system.get(keyFor(worker, iteration));

/**
 * `durationMs` of closed-loop runs of each workload at `inFlight`, in slices of `sliceMs` taken
 * in turns; the workload that goes first moves on by one each round.
 */
async function measureInTurns(workloads: Workload[], inFlight: number, options: BenchOptions): Promise<LoadResult[]> {
  const tallies = workloads.map(() => new LoadTally(inFlight));
  for (let round = 0, doneMs = 0; doneMs < options.durationMs; round++, doneMs += options.sliceMs) {
    const sliceMs = Math.min(options.sliceMs, options.durationMs - doneMs);
    for (let turn = 0; turn < workloads.length; turn++) {
      const index = (round + turn) % workloads.length;
      await runClosedLoop(inFlight, sliceMs, workloads[index]!, tallies[index]);
    }
  }
  return tallies.map((tally) => tally.result());
}

interface BenchResults {
  reports: SystemReport[];
  /** The disk's speed, taken in turns with the 1-in-flight puts (null without them). */
  disk: DiskFigures | null;
}

async function benchSystems(systems: BenchSystem[], disk: DiskTurn, options: BenchOptions): Promise<BenchResults> {
  for (const system of systems) await prepare(system, options);
  const reports: SystemReport[] = systems.map((system) => ({ name: system.name, throughput: [], failover: null }));
  let diskFigures: DiskFigures | null = null;
  for (const inFlight of options.inFlight) {
    const withDisk = inFlight === 1;
    const puts = await measureInTurns([...systems.map(putsTo), ...(withDisk ? [disk.writeOne, disk.writeTwo] : [])], inFlight, options);
    const gets = await measureInTurns(systems.map(getsFrom), inFlight, options);
    systems.forEach(assertAllRunning);
    if (withDisk) {
      diskFigures = { directory: disk.directory, one: puts[systems.length]!, two: puts[systems.length + 1]! };
      progress(`disk: 128-byte write + fdatasync in ${disk.directory}, in turns with the 1-in-flight puts: p50 ${diskFigures.one.latencyMsP50} ms alone, ${diskFigures.two.latencyMsP50} ms for two at once`);
    }
    for (const [index, report] of reports.entries()) {
      progress(`${report.name}: ${inFlight} in flight: ${puts[index]!.operationsPerSecond} puts/s (p50 ${puts[index]!.latencyMsP50} ms, p99 ${puts[index]!.latencyMsP99} ms), ${gets[index]!.operationsPerSecond} gets/s (p99 ${gets[index]!.latencyMsP99} ms)`);
      report.throughput.push({ inFlight, puts: puts[index]!, gets: gets[index]! });
    }
  }
  if (options.failoverRounds > 0) {
    for (const [index, system] of systems.entries()) if (system.measuresFailover) reports[index]!.failover = await failoverOf(system, options);
  }
  systems.forEach(assertAllRunning);
  return { reports, disk: diskFigures };
}

function failoverOf(system: BenchSystem, options: BenchOptions): Promise<FailoverResult> {
  return measureFailover(system, { rounds: options.failoverRounds, writeIntervalMs: 5, settleMs: 300, roundTimeoutMs: 20_000, progress: (line) => progress(`${system.name}: ${line}`) });
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
  const etcdPath = findEtcd();
  let etcdNote: string;
  if (!options.etcd) etcdNote = 'etcd skipped (--no-etcd)';
  else if (etcdPath === null) etcdNote = 'etcd was not found on PATH (Debian: apt-get install etcd-server); no comparison';
  else {
    etcdNote =
      `etcd ${etcdPath}, --heartbeat-interval=${etcdHeartbeatIntervalMs} --election-timeout=${etcdElectionTimeoutMs}; one cluster through two APIs: ` +
      '`etcd`: JSON gateway over keep-alive HTTP; `etcd-grpc`: native gRPC API (etcd3 client, one HTTP/2 connection to the leader)';
  }
  const clusters: BenchCluster[] = [];
  const disk = openDiskTurn();
  let results: BenchResults;
  let failed = false;
  try {
    if (options.raft) clusters.push(await startRaftCluster({ maxInFlight, ...profiling }));
    if (options.etcd && etcdPath !== null) {
      clusters.push(await startEtcdSystems({ etcdPath, maxInFlight, heartbeatIntervalMs: etcdHeartbeatIntervalMs, electionTimeoutMs: etcdElectionTimeoutMs }));
    }
    results = await benchSystems(clusters.flatMap((cluster) => cluster.systems), disk, options);
  } catch (error) {
    failed = true;
    const workDirs = clusters.flatMap((cluster) => cluster.systems.map((system) => system.workDir));
    throw new Error(`benchmark failed: ${(error as Error).message}\nnode logs and data kept in ${[...new Set(workDirs)].join(', ')}`);
  } finally {
    for (const cluster of clusters) await cluster.stop(failed);
    disk.close();
  }
  const { reports, disk: diskFigures } = results;
  const named = (name: string) => reports.find((report) => report.name === name) ?? null;
  const [raft, etcd, etcdGrpc] = [named('raft'), named('etcd'), named('etcd-grpc')];
  const report = { startedAt: startedAt.toISOString(), options, machine: machineFacts(), raft, etcd, etcdGrpc, etcdNote, disk: diskFigures };
  process.stdout.write(formatReport({ raft, etcd, etcdGrpc, etcdNote, disk: diskFigures }));
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
