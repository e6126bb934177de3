// Renders docs/protocol.md from the registry, so the document cannot drift from the code.
// `npm run docs` writes it; a test fails when the committed file differs.

import { errors, maxLineBytes, operations, transportErrors, type ErrorSpec, type OperationSpec } from './registry.js';

export function renderProtocolDoc(): string {
  return [
    '# Client wire protocol',
    '',
    '<!-- Generated from raft/protocol/registry.ts by `npm run docs`; do not edit by hand. -->',
    '',
    'TCP, one UTF-8 JSON object per line in both directions. A client may pipeline requests on one',
    "connection; every response echoes the request's `id`. A line longer than",
    `${maxLineBytes} bytes, invalid JSON, an unknown \`op\` or missing fields get a \`bad_request\` error`,
    '(with `id` null when it could not be read) and the connection stays up.',
    '',
    'Writes (`put`, `cas`, `delete`) may carry `"client":"<id>","seq":<n>`: the reference server applies a',
    'retried (client, seq) at most once and answers it as the first time.',
    '',
    '## Operations',
    '',
    ...Object.entries(operations).flatMap(([name, spec]) => renderOperation(name, spec)),
    '## Errors',
    '',
    'Definite: the operation certainly did not take effect. Indefinite: it may or may not have; a',
    'history records it as `info`, and a checker lets it take effect at any later time or never.',
    '',
    '| error | definite | extra fields | meaning |',
    '| --- | --- | --- | --- |',
    ...Object.entries(errors).map(([code, spec]) => renderError(code, spec)),
    '',
    'Outcomes the client library reports without a server `error` field:',
    '',
    '| outcome | definite | meaning |',
    '| --- | --- | --- |',
    ...Object.entries(transportErrors).map(([code, spec]) => `| \`${code}\` | ${spec.definite ? 'yes' : 'no'} | ${spec.doc} |`),
    '',
  ].join('\n');
}

function renderOperation(name: string, spec: OperationSpec): string[] {
  const fields = Object.entries(spec.fields).map(([field, type]) => `\`${field}\` (${type})`);
  const optional = Object.entries(spec.optionalFields).map(([field, type]) => `\`${field}\` (${type}, optional)`);
  return [
    `### \`${name}\`${spec.isWrite ? ' (write)' : ''}`,
    '',
    spec.doc,
    '',
    `Fields: ${[...fields, ...optional].join(', ') || 'none besides `id` and `op`'}.`,
    '',
    '```json',
    JSON.stringify(spec.example),
    JSON.stringify(spec.exampleResponse),
    '```',
    '',
  ];
}

function renderError(code: string, spec: ErrorSpec): string {
  const extra = Object.entries(spec.fields).map(([field, type]) => `\`${field}\` (${type})`).join(', ') || '—';
  return `| \`${code}\` | ${spec.definite ? 'yes' : 'no'} | ${extra} | ${spec.doc} |`;
}
