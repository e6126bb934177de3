import t from 'tap';
import { readFileSync } from 'node:fs';
import { renderProtocolDoc } from '../../raft/protocol/protocol-doc.js';
import { errors, operations } from '../../raft/protocol/registry.js';

t.test('docs/protocol.md is the rendering of the registry', async (t) => {
  t.equal(readFileSync('docs/protocol.md', 'utf8'), renderProtocolDoc(), 'run `npm run docs` after changing the registry');
});

t.test('the protocol doc names every operation and error', async (t) => {
  const doc = renderProtocolDoc();
  for (const name of Object.keys(operations)) t.match(doc, `### \`${name}\``);
  for (const code of Object.keys(errors)) t.match(doc, `| \`${code}\` |`);
});
