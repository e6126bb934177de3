// The one registry of the client wire protocol (SPEC section 1): every operation and every
// error, with its shape, whether it is definite, and its documentation. The server, the client,
// the history classifier and the generated protocol reference all derive from this file.

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export type FieldType = 'string' | 'string|null' | 'integer';

export interface OperationSpec {
  /** Required request fields besides `id` and `op`. */
  readonly fields: Readonly<Record<string, FieldType>>;
  /** Optional request fields. */
  readonly optionalFields: Readonly<Record<string, FieldType>>;
  /** Whether the operation changes state (goes through the log, may carry client and seq). */
  readonly isWrite: boolean;
  readonly doc: string;
  readonly example: Readonly<Record<string, Json>>;
  readonly exampleResponse: Readonly<Record<string, Json>>;
}

const dedupFields = { client: 'string', seq: 'integer' } as const;

export const operations = {
  get: {
    fields: { key: 'string' },
    optionalFields: {},
    isWrite: false,
    doc: 'Reads a key. Linearizable on the reference server: confirmed by a quorum (ReadIndex) before answering. `value` is null when the key is absent.',
    example: { id: 1, op: 'get', key: 'k' },
    exampleResponse: { id: 1, ok: true, value: 'v' },
  },
  put: {
    fields: { key: 'string', value: 'string' },
    optionalFields: dedupFields,
    isWrite: true,
    doc: 'Sets a key to a value once the entry is committed by a quorum and applied.',
    example: { id: 2, op: 'put', key: 'k', value: 'v' },
    exampleResponse: { id: 2, ok: true },
  },
  cas: {
    fields: { key: 'string', from: 'string|null', to: 'string' },
    optionalFields: dedupFields,
    isWrite: true,
    doc: 'Sets the key to `to` only if its current value is `from` (`from: null`: only if absent). A mismatch answers `cas_mismatch` with the current value.',
    example: { id: 3, op: 'cas', key: 'k', from: 'a', to: 'b' },
    exampleResponse: { id: 3, ok: true },
  },
  delete: {
    fields: { key: 'string' },
    optionalFields: dedupFields,
    isWrite: true,
    doc: 'Removes a key (succeeds when it is already absent).',
    example: { id: 4, op: 'delete', key: 'k' },
    exampleResponse: { id: 4, ok: true },
  },
  status: {
    fields: {},
    optionalFields: {},
    isWrite: false,
    doc: "The node's view of the cluster, answered locally by any node: its name, role, term, the leader it knows, its log positions, and the latest configuration in its log (`members`, each a `voter` or a `learner`; empty on a node waiting to be added) with the index of the entry that set it (0: the launch configuration).",
    example: { id: 5, op: 'status' },
    exampleResponse: {
      id: 5,
      ok: true,
      node: 'raft-1',
      role: 'leader',
      term: 7,
      leader: 'raft-1',
      commitIndex: 120,
      lastApplied: 120,
      lastLogIndex: 121,
      configurationIndex: 0,
      members: [
        { id: 'raft-0', address: '127.0.0.1:7000', role: 'voter' },
        { id: 'raft-1', address: '127.0.0.1:7001', role: 'voter' },
        { id: 'raft-2', address: '127.0.0.1:7002', role: 'voter' },
      ],
    },
  },
  members: {
    fields: {},
    optionalFields: {},
    isWrite: false,
    doc: "The leader's latest configuration: every member with its peer address (null when unknown) and its role, `voter` or `learner` (a node being added, catching up before it votes); `committed` says whether that configuration is committed yet. Followers answer `not_leader`.",
    example: { id: 6, op: 'members' },
    exampleResponse: {
      id: 6,
      ok: true,
      leader: 'raft-1',
      configurationIndex: 4,
      committed: true,
      members: [
        { id: 'raft-0', address: '127.0.0.1:7000', role: 'voter' },
        { id: 'raft-1', address: '127.0.0.1:7001', role: 'voter' },
        { id: 'raft-2', address: '127.0.0.1:7002', role: 'voter' },
      ],
    },
  },
  'add-member': {
    fields: { node: 'string', address: 'string' },
    optionalFields: {},
    isWrite: true,
    doc: 'Adds `node`, reachable by peers at `address` (`host:port`), one server at a time: it joins as a learner, catches up from a snapshot and the log, and is then promoted to voter. Answered `ok` (with the index and term of the promoting configuration entry) once that entry is committed; already a voter: `ok` at once. A change waits until no other change is uncommitted and the leader has committed an entry of its term. `timeout` or `unavailable`: the node may be a learner or a voter, or not a member; retrying is safe.',
    example: { id: 7, op: 'add-member', node: 'raft-3', address: '127.0.0.1:7003' },
    exampleResponse: { id: 7, ok: true, term: 2, index: 130 },
  },
  'remove-member': {
    fields: { node: 'string' },
    optionalFields: {},
    isWrite: true,
    doc: 'Removes `node` (the leader included: it steps down once the change commits). Answered `ok` once the configuration without it is committed; not a member: `ok` at once. Removing the only voter is a `bad_request`. A removed node never starts an election. `timeout` or `unavailable`: it may or may not have been removed; retrying is safe.',
    example: { id: 8, op: 'remove-member', node: 'raft-3' },
    exampleResponse: { id: 8, ok: true, term: 2, index: 131 },
  },
} as const satisfies Record<string, OperationSpec>;

export type OperationName = keyof typeof operations;
export const operationNames = Object.keys(operations) as OperationName[];

export interface ErrorSpec {
  /** Definite: the operation certainly did not take effect. Indefinite: it may or may not. */
  readonly definite: boolean;
  readonly doc: string;
  /** Extra response fields that come with this error. */
  readonly fields: Readonly<Record<string, FieldType>>;
}

export const errors = {
  not_leader: {
    definite: true,
    doc: 'This node is not the leader; `leader` names the leader it knows of, or is null. Retry there.',
    fields: { leader: 'string|null' },
  },
  cas_mismatch: {
    definite: true,
    doc: 'The compare-and-set found another value; `value` is the current one (null when absent).',
    fields: { value: 'string|null' },
  },
  bad_request: {
    definite: true,
    doc: 'The line was not valid JSON, longer than 1 MiB, had an unknown `op`, or missing or mistyped fields; `message` says which. `id` is null when it could not be read.',
    fields: { message: 'string' },
  },
  timeout: {
    definite: false,
    doc: 'The server gave up waiting for the operation to commit; it may still take effect.',
    fields: {},
  },
  unavailable: {
    definite: false,
    doc: 'The server cannot serve the operation now (stepping down, shutting down); a write may still take effect.',
    fields: {},
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof errors;
export const errorCodes = Object.keys(errors) as ErrorCode[];

/**
 * Client-side outcomes that never come from the server as an `error` field but are classified
 * the same way: the connection dropped, or no answer came within the client's deadline.
 */
export const transportErrors = {
  connection_lost: {
    definite: false,
    doc: 'The connection closed or failed before the answer arrived; the operation may have taken effect.',
    fields: {},
  },
  no_response: {
    definite: false,
    doc: "No answer within the client's per-request timeout; the operation may have taken effect.",
    fields: {},
  },
  no_leader: {
    definite: true,
    doc: 'The client tried every node within its deadline and none accepted the request as leader; nothing was sent that could have taken effect.',
    fields: {},
  },
} as const satisfies Record<string, ErrorSpec>;

export type TransportErrorCode = keyof typeof transportErrors;
export type AnyErrorCode = ErrorCode | TransportErrorCode;

export function isKnownErrorCode(code: string): code is AnyErrorCode {
  return Object.hasOwn(errors, code) || Object.hasOwn(transportErrors, code);
}

/**
 * Whether an error certainly means "did not take effect". Unknown codes are indefinite: an
 * error we cannot classify must never be treated as proof that a write did not happen.
 */
export function isDefinite(code: string): boolean {
  if (Object.hasOwn(errors, code)) return errors[code as ErrorCode].definite;
  if (Object.hasOwn(transportErrors, code)) return transportErrors[code as TransportErrorCode].definite;
  return false;
}

/** The longest request line a server must accept, in bytes, excluding the newline. */
export const maxLineBytes = 1024 * 1024;

// ---- Typed request and response shapes -------------------------------------------------

export interface DedupFields {
  client?: string;
  seq?: number;
}

export type Request =
  | { id: number; op: 'get'; key: string }
  | ({ id: number; op: 'put'; key: string; value: string } & DedupFields)
  | ({ id: number; op: 'cas'; key: string; from: string | null; to: string } & DedupFields)
  | ({ id: number; op: 'delete'; key: string } & DedupFields)
  | { id: number; op: 'status' }
  | { id: number; op: 'members' }
  | { id: number; op: 'add-member'; node: string; address: string }
  | { id: number; op: 'remove-member'; node: string };

export type Role = 'leader' | 'follower' | 'candidate';

/** One member of a configuration, as `status` and `members` list it. */
export interface MemberStatus {
  id: string;
  /** Where peers reach it (null when the configuration does not say). */
  address: string | null;
  role: 'voter' | 'learner';
}

export interface StatusFields {
  node: string;
  role: Role;
  term: number;
  leader: string | null;
  commitIndex: number;
  lastApplied: number;
  lastLogIndex: number;
  /** Index of the entry that set this node's latest configuration (0: the launch configuration). */
  configurationIndex?: number;
  /** The latest configuration in this node's log, committed or not; empty while waiting to be added. */
  members?: MemberStatus[];
}

export type SuccessResponse = { id: number; ok: true; value?: string | null; term?: number; index?: number; leader?: string | null; committed?: boolean } & Partial<StatusFields>;

export interface ErrorResponse {
  id: number | null;
  ok: false;
  error: string;
  message?: string;
  leader?: string | null;
  value?: string | null;
}

export type Response = SuccessResponse | ErrorResponse;
