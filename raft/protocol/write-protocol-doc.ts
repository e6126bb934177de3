// `npm run docs`: regenerates docs/protocol.md from the registry.
import { writeFileSync } from 'node:fs';
import { renderProtocolDoc } from './protocol-doc.js';

writeFileSync('docs/protocol.md', renderProtocolDoc());
console.log('wrote docs/protocol.md');
