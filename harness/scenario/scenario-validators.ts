// ajv validators compiled once from scenario-schema.ts. Validation fills in the schema's defaults.

import { Ajv, type ValidateFunction } from 'ajv';
import { durationFormat, scenarioSchema, stepSchemas } from './scenario-schema.js';

function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, verbose: true, useDefaults: true, strictTypes: false });
  ajv.addVocabulary(['expected']);
  ajv.addFormat('duration', durationFormat);
  return ajv;
}

let compiled: { scenario: ValidateFunction; steps: Map<string, ValidateFunction> } | undefined;

export function scenarioValidators(): { scenario: ValidateFunction; steps: Map<string, ValidateFunction> } {
  if (compiled !== undefined) return compiled;
  const ajv = createAjv();
  const steps = new Map<string, ValidateFunction>();
  for (const [kind, schema] of Object.entries(stepSchemas)) steps.set(kind, ajv.compile(schema));
  compiled = { scenario: ajv.compile(scenarioSchema), steps };
  return compiled;
}
