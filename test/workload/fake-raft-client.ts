// fake-raft-client: an in-memory stand-in implementing the workload's client interface (the
// subset of RaftClient it calls), for pure workload tests. Scripted outcomes by call number.

import type { OperationResult } from '../../raft/client/operation-result.js';
import { operationFailure } from '../../raft/client/operation-result.js';
import type { WorkloadClient } from '../../harness/workload/workload-client.js';

export type Script = (call: number, op: string) => 'normal' | 'timeout' | 'not_leader' | 'hang';

export class FakeRaftClient implements WorkloadClient {
  calls = 0;
  closed = false;
  readonly #store: Map<string, string>;
  readonly #script: Script;
  readonly #hanging = new Set<(result: OperationResult) => void>();

  constructor(store: Map<string, string>, script: Script = () => 'normal') {
    this.#store = store;
    this.#script = script;
  }

  get(key: string) {
    return this.#answer('get', () => ({ ok: true, node: 'fake-0', value: this.#store.get(key) ?? null }));
  }
  put(key: string, value: string) {
    return this.#answer('put', () => (this.#store.set(key, value), { ok: true, node: 'fake-0' }));
  }
  cas(key: string, from: string | null, to: string) {
    return this.#answer('cas', () => {
      const current = this.#store.get(key) ?? null;
      if (current !== from) return operationFailure('cas_mismatch', { node: 'fake-0', value: current });
      this.#store.set(key, to);
      return { ok: true, node: 'fake-0' };
    });
  }
  delete(key: string) {
    return this.#answer('delete', () => (this.#store.delete(key), { ok: true, node: 'fake-0' }));
  }
  close() {
    this.closed = true;
    for (const resolve of this.#hanging) resolve(operationFailure('connection_lost', { message: 'closed' }));
    this.#hanging.clear();
  }

  async #answer(op: string, apply: () => OperationResult): Promise<OperationResult> {
    this.calls += 1;
    const outcome = this.#script(this.calls, op);
    await new Promise((resolve) => setImmediate(resolve));
    if (outcome === 'hang') return new Promise((resolve) => this.#hanging.add(resolve));
    if (outcome === 'not_leader') return operationFailure('not_leader', { node: 'fake-1' });
    if (outcome === 'timeout') {
      apply(); // an indefinite failure may well have taken effect
      return operationFailure('timeout', { node: 'fake-0' });
    }
    return apply();
  }
}
