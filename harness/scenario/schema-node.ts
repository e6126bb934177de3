// The shape of the scenario schema's nodes (JSON Schema plus `expected`, the phrase error
// messages use), and the duration field every part of the schema shares, fault parameters
// included (each fault declares its own, harness/faults/*-fault.ts).

export interface SchemaNode {
  type?: string | string[];
  description?: string;
  expected?: string;
  default?: unknown;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  propertyNames?: SchemaNode;
  required?: string[];
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
  anyOf?: SchemaNode[];
}

export function duration(description: string, defaultValue?: string): SchemaNode {
  const node: SchemaNode = {
    type: ['number', 'string'],
    format: 'duration',
    minimum: 0,
    expected: 'a duration such as 500ms, 2s or 1m (or a number of milliseconds)',
    description,
  };
  if (defaultValue !== undefined) node.default = defaultValue;
  return node;
}
