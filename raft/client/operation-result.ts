// What every client call resolves to: a success, or a failure classified as definite (the
// operation certainly did not take effect) or indefinite (it may or may not have), using the
// one registry of error codes.

import { isDefinite, type AnyErrorCode, type MemberStatus, type StatusFields } from '../protocol/registry.js';

export interface OperationSuccess {
  ok: true;
  /** The node that answered. */
  node: string;
  /** `get`: the value read, null when absent. */
  value?: string | null;
  term?: number;
  index?: number;
  /** `members`, `add-member`, `remove-member`: the configuration the leader answered with. */
  members?: MemberStatus[];
  /** `members`: whether that configuration is committed. */
  committed?: boolean;
}

export interface OperationFailure {
  ok: false;
  error: AnyErrorCode | string;
  /** True only when the operation certainly did not take effect. */
  definite: boolean;
  /** The node that gave the final answer, when one did. */
  node?: string;
  message?: string;
  /** `cas_mismatch`: the current value, null when absent. */
  value?: string | null;
}

export type OperationResult = OperationSuccess | OperationFailure;

export type StatusSuccess = OperationSuccess & { status: StatusFields };
export type StatusResult = StatusSuccess | OperationFailure;

/** A failure whose definiteness comes from the registry, never from the caller. */
export function operationFailure(
  error: AnyErrorCode | string,
  fields: { node?: string; message?: string; value?: string | null } = {},
): OperationFailure {
  const failure: OperationFailure = { ok: false, error, definite: isDefinite(error) };
  if (fields.node !== undefined) failure.node = fields.node;
  if (fields.message !== undefined) failure.message = fields.message;
  if (fields.value !== undefined) failure.value = fields.value;
  return failure;
}
