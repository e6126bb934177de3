// The fast path of the linearizability check (Gibbons–Korach zones). When every written value is
// unique, each read names the write it saw, and the question becomes whether the values can be
// put in an order: polynomial, exact, and it names the operations that conflict.
//
// A cluster is one written value: its writer and its consumers (ok reads of it, and the cas that
// replaced it). It needs its writer's linearization point S in [writer invoke, f] where f is the
// earliest completion in the cluster, and the next value may start only after s, the latest invoke
// in the cluster. A chain of cas (v1 -> v2 -> v3) must be contiguous and behaves as one unit with
// f = min f, s = max s, plus its own internal condition. Units can be ordered if and only if no two
// forward zones (f < s: [f, s]) overlap and no backward zone (s <= f: [s, f]) lies strictly inside a
// forward zone.

import type { RegisterOperation } from './register-operation.js';

export type ZoneOutcome =
  | { result: 'linearizable' }
  | { result: 'not-applicable'; reason: string }
  | { result: 'not-linearizable'; reason: string; operationIds: number[] };

interface Cluster {
  /** null: the initial (absent) value. */
  writer: RegisterOperation | null;
  finishNs: number;
  finishOperation: RegisterOperation | null;
  startNs: number;
  startOperation: RegisterOperation | null;
  replacedBy: RegisterOperation | null;
  /** For an indefinite writer: the consumers that prove it took effect (transitively). */
  proof: RegisterOperation[];
  /** Taken into a unit. */
  inUnit: boolean;
}

interface Unit {
  finishNs: number;
  finishOperation: RegisterOperation | null;
  startNs: number;
  startOperation: RegisterOperation | null;
  /** The first cluster of the chain: its writers are made only for a violation's evidence. */
  root: Cluster;
  /** Clusters in the chain. */
  length: number;
}

class Violation {
  constructor(readonly reason: string, readonly operations: (RegisterOperation | null)[]) {}
}

export function checkByZones(operations: readonly RegisterOperation[]): ZoneOutcome {
  try {
    const index = indexOperations(operations);
    if (typeof index === 'string') return { result: 'not-applicable', reason: index };
    const clusters = buildClusters(index);
    const units = buildUnits(clusters);
    checkUnitOrder(units, clusters);
    return { result: 'linearizable' };
  } catch (error) {
    if (!(error instanceof Violation)) throw error;
    const ids = new Set<number>();
    for (const operation of error.operations) if (operation !== null) ids.add(operation.id);
    return { result: 'not-linearizable', reason: error.reason, operationIds: [...ids].sort((a, b) => a - b) };
  }
}

interface OperationIndex {
  writerOf: Map<string, RegisterOperation>;
  deletes: RegisterOperation[];
  readsOf: Map<string | null, RegisterOperation[]>;
  casFrom: Map<string | null, RegisterOperation[]>;
}

/** Groups operations by value; a string when the fast path does not apply. */
function indexOperations(operations: readonly RegisterOperation[]): OperationIndex | string {
  const index: OperationIndex = { writerOf: new Map(), deletes: [], readsOf: new Map(), casFrom: new Map() };
  for (const operation of operations) {
    if (operation.kind === 'read') push(index.readsOf, operation.value, operation);
    else if (operation.kind === 'delete') index.deletes.push(operation);
    else {
      if (index.writerOf.has(operation.value!)) return `value ${JSON.stringify(operation.value)} is written twice`;
      index.writerOf.set(operation.value!, operation);
      if (operation.kind === 'cas') push(index.casFrom, operation.from, operation);
    }
  }
  const readsAbsent = index.readsOf.has(null) || index.casFrom.has(null);
  if (index.deletes.length > 0 && readsAbsent) return 'deletes make "absent" ambiguous';
  return index;
}

/** One cluster per write that must have taken effect, keyed by writer (null: initial value). */
function buildClusters(index: OperationIndex): Map<RegisterOperation | null, Cluster> {
  for (const [value, reads] of index.readsOf) {
    if (value !== null && !index.writerOf.has(value)) throw new Violation(`read ${JSON.stringify(value)}, which no operation wrote`, [reads[0]!]);
  }
  const effective = effectiveWriters(index);
  const clusters = new Map<RegisterOperation | null, Cluster>();
  if (index.readsOf.has(null) || index.casFrom.has(null)) clusters.set(null, newCluster(null, []));
  for (const writer of effective.keys()) clusters.set(writer, newCluster(writer, proofOf(writer, effective)));
  for (const [value, reads] of index.readsOf) {
    const cluster = clusters.get(value === null ? null : index.writerOf.get(value)!)!;
    for (const read of reads) addConsumer(cluster, read);
  }
  for (const writer of effective.keys()) {
    if (writer.kind !== 'cas') continue;
    const cluster = clusters.get(writer.from === null ? null : index.writerOf.get(writer.from)!)!;
    if (cluster.replacedBy !== null) {
      throw new Violation(`two cas operations both replaced ${JSON.stringify(writer.from)}`, [cluster.writer, ...cluster.proof, cluster.replacedBy, writer, ...proofOf(cluster.replacedBy, effective), ...proofOf(writer, effective)]);
    }
    cluster.replacedBy = writer;
    addConsumer(cluster, writer);
  }
  return clusters;
}

function newCluster(writer: RegisterOperation | null, proof: RegisterOperation[]): Cluster {
  const invokeNs = writer === null ? -Infinity : writer.invokeNs;
  const finishNs = writer === null ? -Infinity : writer.completeNs;
  return { writer, finishNs, finishOperation: writer, startNs: invokeNs, startOperation: writer, replacedBy: null, proof, inUnit: false };
}

/** The chain of consumers proving an indefinite writer took effect (empty for acknowledged ones). */
function proofOf(writer: RegisterOperation, effective: Map<RegisterOperation, RegisterOperation | null>): RegisterOperation[] {
  const proof: RegisterOperation[] = [];
  for (let because = effective.get(writer) ?? null; because !== null && proof.length <= effective.size; because = effective.get(because) ?? null) proof.push(because);
  return proof;
}

function addConsumer(cluster: Cluster, consumer: RegisterOperation): void {
  const writer = cluster.writer;
  if (writer !== null && consumer.completeNs < writer.invokeNs) {
    throw new Violation(`${consumer.kind} of ${JSON.stringify(writer.value)} completed before its write was invoked`, [writer, consumer, ...cluster.proof]);
  }
  if (consumer.completeNs < cluster.finishNs) {
    cluster.finishNs = consumer.completeNs;
    cluster.finishOperation = consumer;
  }
  if (consumer.invokeNs > cluster.startNs) {
    cluster.startNs = consumer.invokeNs;
    cluster.startOperation = consumer;
  }
}

/**
 * Writers that certainly took effect: acknowledged ones, indefinite ones whose value was read or
 * replaced by a cas that took effect. Maps each to the consumer that proves it (or null).
 */
function effectiveWriters(index: OperationIndex): Map<RegisterOperation, RegisterOperation | null> {
  const effective = new Map<RegisterOperation, RegisterOperation | null>();
  const queue: RegisterOperation[] = [];
  const mark = (writer: RegisterOperation, because: RegisterOperation | null) => {
    if (effective.has(writer)) return;
    effective.set(writer, because);
    queue.push(writer);
  };
  for (const writer of [...index.writerOf.values(), ...index.deletes]) {
    if (writer.ok) mark(writer, null);
    else if (writer.value !== null && index.readsOf.has(writer.value)) mark(writer, index.readsOf.get(writer.value)![0]!);
  }
  while (queue.length > 0) {
    const writer = queue.pop()!;
    if (writer.kind !== 'cas' || writer.from === null) continue;
    const replaced = index.writerOf.get(writer.from);
    if (replaced === undefined) throw new Violation(`cas from ${JSON.stringify(writer.from)}, which no operation wrote, took effect`, [writer, ...proofOf(writer, effective)]);
    mark(replaced, writer);
  }
  return effective;
}

/** Chains of clusters linked by cas, each checked inside and reduced to one unit. */
function buildUnits(clusters: Map<RegisterOperation | null, Cluster>): Unit[] {
  const units: Unit[] = [];
  for (const root of clusters.values()) {
    if (root.writer !== null && root.writer.kind === 'cas') continue;
    units.push(chainUnit(root, clusters));
  }
  for (const cluster of clusters.values()) {
    if (cluster.inUnit) continue;
    const cycle: RegisterOperation[] = [];
    for (let current: Cluster | undefined = cluster; current && !cycle.includes(current.writer!); current = clusters.get(current.replacedBy)) cycle.push(current.writer!);
    throw new Violation('cas operations replace each other in a cycle with no first write', cycle);
  }
  return units;
}

function chainUnit(root: Cluster, clusters: Map<RegisterOperation | null, Cluster>): Unit {
  const unit: Unit = { finishNs: Infinity, finishOperation: null, startNs: -Infinity, startOperation: null, root, length: 0 };
  let current: Cluster | undefined = root;
  for (let guard = 0; current !== undefined && guard <= clusters.size; guard++) {
    if (unit.startNs > current.finishNs) {
      throw new Violation(`a cas chain cannot be ordered: ${JSON.stringify(current.writer?.value ?? null)} is needed before an operation on an earlier value started`, [unit.startOperation, current.finishOperation, ...writersOf(unit, clusters), current.writer]);
    }
    current.inUnit = true;
    unit.length++;
    if (current.finishNs < unit.finishNs) {
      unit.finishNs = current.finishNs;
      unit.finishOperation = current.finishOperation;
    }
    if (current.startNs > unit.startNs) {
      unit.startNs = current.startNs;
      unit.startOperation = current.startOperation;
    }
    current = current.replacedBy === null ? undefined : clusters.get(current.replacedBy);
  }
  return unit;
}

/** Gibbons–Korach: forward zones disjoint, no backward zone strictly inside a forward one. */
function checkUnitOrder(units: Unit[], clusters: Map<RegisterOperation | null, Cluster>): void {
  const forward = units.filter((unit) => unit.finishNs < unit.startNs).sort((a, b) => a.finishNs - b.finishNs);
  let latest: Unit | null = null;
  for (const unit of forward) {
    if (latest !== null && unit.finishNs < latest.startNs) throw conflict(unit, latest, clusters);
    if (latest === null || unit.startNs > latest.startNs) latest = unit;
  }
  for (const unit of units) {
    if (unit.finishNs < unit.startNs) continue;
    const around = lastForwardBefore(forward, unit.startNs);
    if (around !== null && unit.finishNs < around.startNs) throw conflict(unit, around, clusters);
  }
}

/** The forward unit with the greatest finish strictly before `timeNs` (forward units are sorted and disjoint). */
function lastForwardBefore(forward: Unit[], timeNs: number): Unit | null {
  let low = 0;
  let high = forward.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (forward[middle]!.finishNs < timeNs) low = middle + 1;
    else high = middle;
  }
  return low === 0 ? null : forward[low - 1]!;
}

function conflict(a: Unit, b: Unit, clusters: Map<RegisterOperation | null, Cluster>): Violation {
  return new Violation('two values each had to be current after the other', [a.finishOperation, a.startOperation, b.finishOperation, b.startOperation, ...writersOf(a, clusters), ...writersOf(b, clusters)]);
}

/** The writers of a unit's clusters in chain order, each followed by the proof it took effect. */
function writersOf(unit: Unit, clusters: Map<RegisterOperation | null, Cluster>): RegisterOperation[] {
  const writers: RegisterOperation[] = [];
  let current: Cluster | undefined = unit.root;
  for (let taken = 0; current !== undefined && taken < unit.length; taken++) {
    if (current.writer !== null) writers.push(current.writer, ...current.proof);
    current = current.replacedBy === null ? undefined : clusters.get(current.replacedBy);
  }
  return writers;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
