// The field reference of docs/scenarios.md, generated from scenario-schema.ts so the two cannot
// drift: `node dist/harness/scenario/write-scenario-reference.js` rewrites the marked section,
// and test/scenario/scenario-reference.test.ts fails when it is stale.

import { scenarioSchema, stepSchemas, type SchemaNode } from './scenario-schema.js';

export const referenceStartMarker = '<!-- scenario-reference:start (generated from harness/scenario/scenario-schema.ts; do not edit) -->';
export const referenceEndMarker = '<!-- scenario-reference:end -->';

export function renderScenarioReference(): string {
  return [
    '### Document',
    '',
    ...fieldTable(scenarioSchema, ''),
    '',
    ...nestedSections(scenarioSchema, ''),
    '### Timeline steps',
    '',
    'Each step is a mapping whose first key says what it does.',
    '',
    ...Object.entries(stepSchemas).flatMap(([kind, schema]) => stepSection(kind, schema)),
  ].join('\n');
}

function nestedSections(schema: SchemaNode, prefix: string): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, child]) => {
    if (child.properties === undefined) return [];
    const path = `${prefix}${name}`;
    return [`### \`${path}\``, '', child.description ?? '', '', ...fieldTable(child, `${path}.`), '', ...nestedSections(child, `${path}.`)];
  });
}

function stepSection(kind: string, schema: SchemaNode): string[] {
  const action = schema.properties?.[kind];
  return [`#### \`${kind}\``, '', action?.description ?? '', '', ...fieldTable(schema, ''), ''];
}

function fieldTable(schema: SchemaNode, prefix: string): string[] {
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties ?? {}).map(([name, field]) => {
    const cells = [
      `\`${prefix}${name}\``,
      escapeCell(field.expected ?? typeName(field)),
      required.has(name) ? 'required' : defaultText(field),
      escapeCell(field.description ?? ''),
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return ['| field | expects | default | meaning |', '| --- | --- | --- | --- |', ...rows];
}

function defaultText(field: SchemaNode): string {
  if (field.default === undefined) return '(unset)';
  if (field.properties !== undefined && typeof field.default === 'object' && Object.keys(field.default as object).length === 0) {
    return 'see below';
  }
  return `\`${escapeCell(JSON.stringify(field.default))}\``;
}

function typeName(field: SchemaNode): string {
  const type = field.type;
  return typeof type === 'string' ? type : type === undefined ? 'any' : type.join(' or ');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Replaces the marked section of a document with the current reference. */
export function updateReferenceSection(document: string): string {
  const start = document.indexOf(referenceStartMarker);
  const end = document.indexOf(referenceEndMarker);
  if (start < 0 || end < start) throw new Error(`the document has no ${referenceStartMarker} … ${referenceEndMarker} section`);
  return `${document.slice(0, start + referenceStartMarker.length)}\n\n${renderScenarioReference()}\n${document.slice(end)}`;
}
