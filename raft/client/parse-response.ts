import type { Response, SuccessResponse } from '../protocol/registry.js';

/** A response object, or null for a line that is not one (bad lines are ignored, not fatal). */
export function parseResponse(line: string): Response | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  if (typeof record.id !== 'number' && record.id !== null) return null;
  if (record.ok === true && typeof record.id === 'number') return record as SuccessResponse;
  if (record.ok === false && typeof record.error === 'string') return { ...record, id: record.id, ok: false, error: record.error };
  return null;
}
