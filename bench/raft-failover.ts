// Leader failover under a steady write load: kill -9 the leader, time from the kill to the first
// acknowledged write that was started after it (writes start at a steady rate); restart the killed node between rounds.

import { median, round, type LoadOutcome } from './raft-load.js';
import { withDeadline } from '../harness/shared/with-deadline.js';

export interface FailoverSystem {
  /** Waits (with its own deadline) until every node is up and one is leader; returns it. */
  leader(): Promise<string>;
  kill(node: string): Promise<void>;
  /** Starts the node again and waits until it is back in the cluster. */
  restart(node: string): Promise<void>;
  put(key: string, value: string): Promise<LoadOutcome>;
}

export interface FailoverResult {
  roundsMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
}

export interface FailoverOptions {
  rounds: number;
  /** A new write starts every this many milliseconds. */
  writeIntervalMs: number;
  /** Steady load before the kill. */
  settleMs: number;
  /** Longest wait for the first write after the kill. */
  roundTimeoutMs: number;
  progress: (message: string) => void;
}

export async function measureFailover(system: FailoverSystem, options: FailoverOptions): Promise<FailoverResult> {
  const roundsMs: number[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    const leader = await system.leader();
    const elapsedMs = await oneRound(system, leader, options);
    roundsMs.push(round2(elapsedMs));
    options.progress(`failover round ${round}/${options.rounds}: killed ${leader}, next acknowledged write after ${elapsedMs.toFixed(1)} ms`);
    await system.restart(leader);
  }
  return { roundsMs, medianMs: round(median(roundsMs)), minMs: Math.min(...roundsMs), maxMs: Math.max(...roundsMs) };
}

/**
 * Open-loop writes: a new put every `writeIntervalMs` whether or not earlier ones have answered,
 * so writes stuck on the dead leader (or forwarded to it) do not hold back writes started later.
 */
async function oneRound(system: FailoverSystem, leader: string, options: FailoverOptions): Promise<number> {
  let killedAt = Number.POSITIVE_INFINITY;
  let acknowledge: (at: number) => void = () => undefined;
  const acknowledged = new Promise<number>((resolve) => (acknowledge = resolve));
  const outstanding = new Set<Promise<void>>();
  let iteration = 0;
  const writeOne = () => {
    const startedAt = performance.now();
    const write = system.put(`failover-${iteration % 16}`, `value-${iteration++}`).then((outcome) => {
      if (outcome === true && startedAt >= killedAt) acknowledge(performance.now());
      outstanding.delete(write);
    });
    outstanding.add(write);
  };
  const ticker = setInterval(writeOne, options.writeIntervalMs);
  try {
    await new Promise((resolve) => setTimeout(resolve, options.settleMs));
    killedAt = performance.now();
    await system.kill(leader);
    const ackAt = await withDeadline(acknowledged, options.roundTimeoutMs, `no write was acknowledged within ${options.roundTimeoutMs} ms of killing ${leader}`);
    return ackAt - killedAt;
  } finally {
    clearInterval(ticker);
    await Promise.all(outstanding);
  }
}

function round2(value: number): number {
  return Math.round(value * 10) / 10;
}
