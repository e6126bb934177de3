// One key's register operations as columns, to send to the search thread: numbers in typed arrays
// that are moved rather than copied, strings in two plain arrays. Copying them object by object
// cost more than the search itself on a long run's thousands of short keys.

import type { RegisterOperation } from './register-operation.js';

const kinds: readonly RegisterOperation['kind'][] = ['read', 'write', 'cas', 'delete'];

export interface RegisterOperationColumns {
  id: Float64Array<ArrayBuffer>;
  kind: Uint8Array<ArrayBuffer>;
  ok: Uint8Array<ArrayBuffer>;
  invokeNs: Float64Array<ArrayBuffer>;
  completeNs: Float64Array<ArrayBuffer>;
  value: (string | null)[];
  from: (string | null)[];
}

export function toColumns(operations: readonly RegisterOperation[]): RegisterOperationColumns {
  const length = operations.length;
  const columns: RegisterOperationColumns = { id: new Float64Array(length), kind: new Uint8Array(length), ok: new Uint8Array(length), invokeNs: new Float64Array(length), completeNs: new Float64Array(length), value: new Array<string | null>(length), from: new Array<string | null>(length) };
  operations.forEach((operation, row) => {
    columns.id[row] = operation.id;
    columns.kind[row] = kinds.indexOf(operation.kind);
    columns.ok[row] = operation.ok ? 1 : 0;
    columns.invokeNs[row] = operation.invokeNs;
    columns.completeNs[row] = operation.completeNs;
    columns.value[row] = operation.value;
    columns.from[row] = operation.from;
  });
  return columns;
}

export function fromColumns(columns: RegisterOperationColumns): RegisterOperation[] {
  return Array.from(columns.id, (id, row): RegisterOperation => ({ id, kind: kinds[columns.kind[row]!]!, ok: columns.ok[row] === 1, invokeNs: columns.invokeNs[row]!, completeNs: columns.completeNs[row]!, value: columns.value[row]!, from: columns.from[row]! }));
}

/** The buffers postMessage can move. */
export function columnBuffers(columns: RegisterOperationColumns): ArrayBuffer[] {
  return [columns.id.buffer, columns.kind.buffer, columns.ok.buffer, columns.invokeNs.buffer, columns.completeNs.buffer];
}
