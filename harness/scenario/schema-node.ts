// The shape of the scenario schema's nodes (JSON Schema plus `expected`, the phrase error
// messages use), and the duration field every part of the schema shares, fault parameters
// included (each fault declares its own, harness/faults/*-fault.ts).

export interface SchemaNode {
  type?: string | readonly string[];
  description?: string;
  expected?: string;
  default?: unknown;
  properties?: Readonly<Record<string, SchemaNode>>;
  additionalProperties?: boolean | SchemaNode;
  propertyNames?: SchemaNode;
  required?: readonly string[];
  items?: SchemaNode;
  enum?: readonly (string | number)[];
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  minItems?: number;
  uniqueItems?: boolean;
  anyOf?: readonly SchemaNode[];
}

const durationNode = {
  type: ['number', 'string'],
  format: 'duration',
  minimum: 0,
  expected: 'a duration such as 500ms, 2s or 1m (or a number of milliseconds)',
} as const;

/** A duration field; with a default it is always present after validation (the types say so). */
export function duration(description: string): typeof durationNode & { readonly description: string };
export function duration(description: string, defaultValue: string): typeof durationNode & { readonly description: string; readonly default: string };
export function duration(description: string, defaultValue?: string): SchemaNode {
  return defaultValue === undefined ? { ...durationNode, description } : { ...durationNode, description, default: defaultValue };
}
