// Raft's safety properties, checked after every step of a simulated cluster:
// - election safety: at most one leader per term, among every node ever started (so across
//   every configuration the cluster passes through, and nodes added, removed or wiped);
// - log matching: an (index, term) names one command and one predecessor term, across all nodes
//   and all time (which makes equal (index, term) imply equal prefixes);
// - state machine safety: an index is committed with one term only;
// - leader completeness: a new leader holds every entry committed, and every write
//   acknowledged, in an earlier term;
// - acknowledged writes and membership changes are never lost, and writes are answered with
//   the result the log gives them;
// - reads: a read returns a value the key held at some index between the last write to it
//   acknowledged before the read was issued and the highest committed index when it returned.
import type { StatusFields } from '../../protocol/registry.js';
import type { Command, Effect, LogEntry, NodeId, Snapshot } from '../types.js';
import { ReferenceKv } from './reference-kv.js';

interface RegisteredEntry {
  command: Command;
  prevTerm: number | undefined;
}

interface NodeView {
  /** Term of the entry at each index the node has held (never compacted; truncated with the log). */
  terms: number[];
  commitIndex: number;
  role: StatusFields['role'];
  term: number;
}

export class SafetyChecker {
  readonly violations: string[] = [];
  readonly reference = new ReferenceKv();
  private readonly views = new Map<NodeId, NodeView>();
  private readonly leaderOfTerm = new Map<number, NodeId>();
  private readonly registry = new Map<string, RegisteredEntry>();
  /** committedTerms[i]: term of the entry committed at i; committedInTerm[i]: term it was first seen committed in. */
  private readonly committedTerms: number[] = [0];
  private readonly committedInTerm: number[] = [0];
  private readonly ackedWrites = new Map<number, { term: number; ackTerm: number }>();
  private readonly ackedIndexByKey = new Map<string, number>();
  private readonly resultChecks = new Map<number, string>();

  get maxCommittedIndex(): number {
    return this.committedTerms.length - 1;
  }

  /** A node started (or restarted) from its durable state. */
  nodeStarted(node: NodeId, status: StatusFields, entries: LogEntry[], snapshot: Snapshot | null): void {
    const view = this.views.get(node);
    const terms = view?.terms ?? [0];
    if (view === undefined) {
      for (const entry of entries) terms[entry.index] = entry.term;
      if (snapshot !== null) terms[snapshot.lastIncludedIndex] ??= snapshot.lastIncludedTerm;
    } else {
      // What the crash lost (a log written late) is not held any more.
      terms.length = Math.min(terms.length, (entries.at(-1)?.index ?? snapshot?.lastIncludedIndex ?? 0) + 1);
    }
    this.views.set(node, { terms, commitIndex: status.commitIndex, role: status.role, term: status.term });
  }

  /** Observe one node's step: its effects (in order) and its status afterwards. */
  afterStep(node: NodeId, effects: Effect[], status: StatusFields): void {
    const view = this.views.get(node)!;
    for (const effect of effects) {
      if (effect.type === 'appendEntries') this.observeAppend(node, view, effect.entries);
      else if (effect.type === 'truncateLog') view.terms.length = Math.min(view.terms.length, effect.fromIndex);
      else if (effect.type === 'saveSnapshot') this.observeSnapshot(node, view, effect.snapshot);
    }
    this.observeStatus(node, view, status);
  }

  /** A write was answered `ok` with its log position. */
  writeAcknowledged(node: NodeId, key: string, index: number, term: number): void {
    this.entryAcknowledged(node, index, term);
    this.ackedIndexByKey.set(key, Math.max(this.ackedIndexByKey.get(key) ?? 0, index));
    const result = this.reference.resultAt(index);
    if (result === undefined) this.resultChecks.set(index, `${node} key ${key}`);
    else if (!result.ok) this.fail(`write at index ${index} on ${node} acknowledged ok, but the log gives it a cas mismatch`);
  }

  /** An entry (a write, a membership change) was acknowledged at (index, term): it must stay committed there. */
  entryAcknowledged(node: NodeId, index: number, term: number): void {
    const committed = this.committedTerms[index];
    if (committed !== undefined && committed !== term) {
      this.fail(`acknowledged write lost: ${node} acknowledged (index ${index}, term ${term}) but index ${index} committed with term ${committed}`);
    }
    this.ackedWrites.set(index, { term, ackTerm: term });
  }

  /** The index a read of `key` issued now must at least reflect. */
  readLowerBound(key: string): number {
    return this.ackedIndexByKey.get(key) ?? 0;
  }

  /** A read of `key`, issued when readLowerBound was `lowerBound`, returned `value`. */
  readReturned(node: NodeId, key: string, lowerBound: number, value: string | null): void {
    const upperBound = Math.min(this.maxCommittedIndex, this.reference.appliedIndex);
    const allowed = this.reference.valuesBetween(key, Math.min(lowerBound, upperBound), upperBound);
    if (!allowed.includes(value)) {
      this.fail(
        `stale or invented read: ${node} returned ${JSON.stringify(value)} for ${key}; a write acknowledged before the read ` +
          `was issued is at index ${lowerBound}, and between ${lowerBound} and ${upperBound} the key held only ${JSON.stringify(allowed)}`,
      );
    }
  }

  private observeAppend(node: NodeId, view: NodeView, entries: LogEntry[]): void {
    if (entries.length === 0) return;
    view.terms.length = Math.min(view.terms.length, entries[0]!.index);
    for (const entry of entries) {
      const prevTerm = view.terms[entry.index - 1];
      const key = `${entry.index}:${entry.term}`;
      const known = this.registry.get(key);
      if (known === undefined) {
        this.registry.set(key, { command: entry.command, prevTerm });
      } else if (!sameCommand(known.command, entry.command)) {
        this.fail(`log matching: ${node} holds a different command at (index ${entry.index}, term ${entry.term}): ${JSON.stringify(entry.command)} vs ${JSON.stringify(known.command)}`);
      } else if (prevTerm !== undefined && known.prevTerm !== undefined && prevTerm !== known.prevTerm) {
        this.fail(`log matching: (index ${entry.index}, term ${entry.term}) follows term ${prevTerm} on ${node} but term ${known.prevTerm} elsewhere`);
      }
      view.terms[entry.index] = entry.term;
    }
  }

  private observeSnapshot(node: NodeId, view: NodeView, snapshot: Snapshot): void {
    const index = snapshot.lastIncludedIndex;
    if (view.terms[index] === snapshot.lastIncludedTerm) return;
    // Installed from the leader, replacing the log: everything it covers must be committed.
    view.terms.length = index + 1;
    for (let position = 1; position <= index; position += 1) {
      const committed = this.committedTerms[position];
      if (committed === undefined) {
        this.fail(`${node} installed a snapshot up to index ${index}, but index ${position} was never committed`);
        return;
      }
      view.terms[position] = committed;
    }
    if (view.terms[index] !== snapshot.lastIncludedTerm) {
      this.fail(`${node} installed a snapshot ending at (index ${index}, term ${snapshot.lastIncludedTerm}) but the committed term there is ${view.terms[index]}`);
    }
  }

  private observeStatus(node: NodeId, view: NodeView, status: StatusFields): void {
    const becameLeader = status.role === 'leader' && (view.role !== 'leader' || view.term !== status.term);
    view.role = status.role;
    view.term = status.term;
    if (status.commitIndex > view.commitIndex) this.observeCommit(node, view, status.commitIndex);
    view.commitIndex = status.commitIndex;
    if (!becameLeader) return;
    const other = this.leaderOfTerm.get(status.term);
    if (other !== undefined && other !== node) this.fail(`election safety: ${other} and ${node} are both leader of term ${status.term}`);
    this.leaderOfTerm.set(status.term, node);
    this.checkLeaderCompleteness(node, view, status.term);
  }

  private observeCommit(node: NodeId, view: NodeView, commitIndex: number): void {
    for (let index = view.commitIndex + 1; index <= commitIndex; index += 1) {
      const term = view.terms[index];
      if (term === undefined) {
        this.fail(`${node} committed index ${index} without holding an entry there`);
        return;
      }
      const committed = this.committedTerms[index];
      if (committed !== undefined && committed !== term) {
        this.fail(`state machine safety: index ${index} committed with term ${committed}, but ${node} committed term ${term}`);
        return;
      }
      if (committed === undefined) this.recordCommit(node, index, term, view.term);
    }
  }

  private recordCommit(node: NodeId, index: number, term: number, inTerm: number): void {
    if (index !== this.committedTerms.length) {
      this.fail(`${node} committed index ${index} while the highest index known committed is ${this.maxCommittedIndex}`);
      return;
    }
    const acked = this.ackedWrites.get(index);
    if (acked !== undefined && acked.term !== term) {
      this.fail(`acknowledged write lost: (index ${index}, term ${acked.term}) was acknowledged but term ${term} was committed there (by ${node})`);
    }
    this.committedTerms.push(term);
    this.committedInTerm.push(inTerm);
    const entry = this.registry.get(`${index}:${term}`)!;
    const result = this.reference.apply(index, entry.command);
    const check = this.resultChecks.get(index);
    if (check !== undefined) {
      this.resultChecks.delete(index);
      if (!result.ok) this.fail(`write at index ${index} (${check}) was acknowledged ok, but the log gives it a cas mismatch`);
    }
  }

  private checkLeaderCompleteness(node: NodeId, view: NodeView, term: number): void {
    for (let index = 1; index <= this.maxCommittedIndex; index += 1) {
      if (this.committedInTerm[index]! < term && view.terms[index] !== this.committedTerms[index]) {
        this.fail(`leader completeness: ${node}, leader of term ${term}, lacks (index ${index}, term ${this.committedTerms[index]}) committed in term ${this.committedInTerm[index]}`);
        return;
      }
    }
    for (const [index, acked] of this.ackedWrites) {
      if (acked.ackTerm < term && view.terms[index] !== acked.term) {
        this.fail(`acknowledged write lost: ${node}, leader of term ${term}, lacks acknowledged (index ${index}, term ${acked.term})`);
        return;
      }
    }
  }

  private fail(message: string): void {
    this.violations.push(message);
  }
}

function sameCommand(a: Command, b: Command): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
