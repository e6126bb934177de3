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
    doc: "The node's view of the cluster, answered locally by any node: its name, role, term, the leader it knows, and its log positions.",
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
    },
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
  | { id: number; op: 'status' };

export type Role = 'leader' | 'follower' | 'candidate';

export interface StatusFields {
  node: string;
  role: Role;
  term: number;
  leader: string | null;
  commitIndex: number;
  lastApplied: number;
  lastLogIndex: number;
}

export type SuccessResponse = { id: number; ok: true; value?: string | null; term?: number; index?: number; leader?: string | null } & Partial<StatusFields>;

export interface ErrorResponse {
  id: number | null;
  ok: false;
  error: string;
  message?: string;
  leader?: string | null;
  value?: string | null;
}

export type Response = SuccessResponse | ErrorResponse;
