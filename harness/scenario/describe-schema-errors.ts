// ajv's errors reduced to one clear message per field: what was expected, what was found, and
// the nearest valid name for a typo.

import type { ErrorObject } from 'ajv';
import { parseInstancePath, type FieldPath } from './field-path.js';
import type { SchemaNode } from './scenario-schema.js';
import { suggestName } from './suggest-name.js';

export interface FieldProblem {
  path: FieldPath;
  /** Point at the key rather than the value (unknown fields). */
  atKey: boolean;
  message: string;
}

export function describeSchemaErrors(errors: readonly ErrorObject[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const byPath = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    if (error.keyword === 'additionalProperties') problems.push(unknownField(error));
    else if (error.keyword === 'required') problems.push(missingField(error));
    else if (error.keyword === 'propertyNames') problems.push(badPropertyName(error, errors));
    else byPath.set(error.instancePath, [...(byPath.get(error.instancePath) ?? []), error]);
  }
  for (const [instancePath, pathErrors] of byPath) {
    if (pathErrors.some((error) => error.propertyName !== undefined)) continue;
    problems.push({ path: parseInstancePath(instancePath), atKey: false, message: wrongValue(pathErrors) });
  }
  return problems;
}

function unknownField(error: ErrorObject): FieldProblem {
  const name = String((error.params as { additionalProperty: string }).additionalProperty);
  const known = Object.keys((error.parentSchema as SchemaNode | undefined)?.properties ?? {});
  const suggestion = suggestName(name, known);
  const hint = suggestion !== undefined ? `did you mean "${suggestion}"?` : `expected one of ${known.join(', ')}`;
  return {
    path: [...parseInstancePath(error.instancePath), name],
    atKey: true,
    message: `unknown field "${name}": ${hint}`,
  };
}

function missingField(error: ErrorObject): FieldProblem {
  const name = String((error.params as { missingProperty: string }).missingProperty);
  const schema = (error.parentSchema as SchemaNode | undefined)?.properties?.[name];
  const expected = schema?.expected ?? 'a value';
  return {
    path: [...parseInstancePath(error.instancePath), name],
    atKey: false,
    message: `required field is missing: expected ${expected}`,
  };
}

function badPropertyName(error: ErrorObject, errors: readonly ErrorObject[]): FieldProblem {
  const name = String((error.params as { propertyName: string }).propertyName);
  const detail = errors.find((other) => other.propertyName === name && other.keyword !== 'propertyNames');
  const expected = (detail?.parentSchema as SchemaNode | undefined)?.expected ?? 'a valid name';
  return {
    path: [...parseInstancePath(error.instancePath), name],
    atKey: true,
    message: `expected ${expected}, got "${name}"`,
  };
}

function wrongValue(errors: ErrorObject[]): string {
  const described = errors.find((error) => (error.parentSchema as SchemaNode | undefined)?.expected !== undefined);
  const chosen = described ?? errors[0];
  const schema = chosen.parentSchema as SchemaNode | undefined;
  const got = describeValue(chosen.data);
  if (schema?.expected === undefined) return `${chosen.message ?? 'invalid value'}, got ${got}`;
  const suggestion = typeof chosen.data === 'string' ? suggestName(chosen.data, enumValues(schema)) : undefined;
  const hint = suggestion !== undefined && suggestion !== chosen.data ? ` (did you mean "${suggestion}"?)` : '';
  return `expected ${schema.expected}, got ${got}${hint}`;
}

function enumValues(schema: SchemaNode): string[] {
  const direct = schema.enum ?? [];
  const nested = (schema.anyOf ?? []).flatMap((branch) => branch.enum ?? []);
  return [...direct, ...nested].map(String);
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}
