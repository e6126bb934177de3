// The workload's client for etcd over its gRPC API (npm etcd3): get (linearizable, or
// serializable for the variant), put, cas as a transaction comparing the value (or, from null,
// the create revision 0: absent), delete. A failed compare is a definite cas_mismatch with the
// current value, read in the same transaction.

import type { Etcd3, IKeyValue } from 'etcd3';
import type { OperationResult } from '../../../raft/client/operation-result.js';
import { operationFailure } from '../../../raft/client/operation-result.js';
import type { WorkloadClient } from '../../workload/workload-client.js';
import { etcdConnection, withDeadline } from './etcd-connection.js';
import { etcdFailure } from './etcd-failure.js';
import { EtcdMemberNames } from './etcd-member-names.js';

export type EtcdReads = 'linearizable' | 'serializable';

export interface EtcdClientOptions {
  requestTimeoutMs: number;
  reads: EtcdReads;
}

function valueOf(kvs: readonly IKeyValue[] | undefined): string | null {
  const first = kvs?.[0];
  return first === undefined ? null : first.value.toString('utf8');
}

export class EtcdWorkloadClient implements WorkloadClient {
  private readonly client: Etcd3;
  private readonly names: EtcdMemberNames;

  constructor(
    addresses: Readonly<Record<string, string>>,
    private readonly options: EtcdClientOptions,
  ) {
    this.client = etcdConnection(Object.values(addresses), options.requestTimeoutMs);
    this.names = new EtcdMemberNames(() => this.client, options.requestTimeoutMs);
  }

  get(key: string): Promise<OperationResult> {
    return this.attempt(async () => {
      const request = this.client.get(key).serializable(this.options.reads === 'serializable');
      const response = await request.options(this.deadline()).exec();
      return { ok: true, node: this.names.nameOf(response.header.member_id), value: valueOf(response.kvs) };
    });
  }

  put(key: string, value: string): Promise<OperationResult> {
    return this.attempt(async () => {
      const response = await this.client.put(key).value(value).options(this.deadline()).exec();
      return { ok: true, node: this.names.nameOf(response.header.member_id) };
    });
  }

  cas(key: string, from: string | null, to: string): Promise<OperationResult> {
    return this.attempt(async () => {
      const comparison = from === null ? this.client.if(key, 'Create', '==', 0) : this.client.if(key, 'Value', '==', from);
      const response = await comparison.then(this.client.put(key).value(to)).else(this.client.get(key)).options(this.deadline()).commit();
      const node = this.names.nameOf(response.header.member_id);
      if (response.succeeded) return { ok: true, node };
      return operationFailure('cas_mismatch', { node, value: valueOf(response.responses[0]?.response_range?.kvs) });
    });
  }

  delete(key: string): Promise<OperationResult> {
    return this.attempt(async () => {
      const response = await this.client.delete().key(key).options(this.deadline()).exec();
      return { ok: true, node: this.names.nameOf(response.header.member_id) };
    });
  }

  close(): void {
    this.client.close();
  }

  private deadline(): { deadline: number } {
    return withDeadline(this.options.requestTimeoutMs);
  }

  private async attempt(call: () => Promise<OperationResult>): Promise<OperationResult> {
    try {
      return await call();
    } catch (error) {
      return etcdFailure(error);
    }
  }
}
