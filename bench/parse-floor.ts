// The parse floor of `harness check`: reads a history file line by line (node:readline) and
// JSON.parse-s every line, nothing else. `npm run bench:check` times it beside the check of the
// same file. Usage: node dist/bench/parse-floor.js <history.jsonl>

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

async function parseEveryLine(path: string): Promise<number> {
  let lines = 0;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (line === '') continue;
    JSON.parse(line);
    lines++;
  }
  return lines;
}

const path = process.argv[2];
if (path === undefined) {
  process.stderr.write('usage: node dist/bench/parse-floor.js <history.jsonl>\n');
  process.exitCode = 2;
} else {
  process.stdout.write(`${await parseEveryLine(path)} lines\n`);
}
