// The part of the real client (raft/client RaftClient) that the workload uses. The workload
// builds RaftClients without a clientId: no de-duplication, so it sees raw outcomes.

import type { OperationResult } from '../../raft/client/operation-result.js';

export interface WorkloadClient {
  get(key: string): Promise<OperationResult>;
  put(key: string, value: string): Promise<OperationResult>;
  cas(key: string, from: string | null, to: string): Promise<OperationResult>;
  delete(key: string): Promise<OperationResult>;
  close(): void;
}
