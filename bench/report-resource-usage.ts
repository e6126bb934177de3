// Loaded with `node --import` into a process the benchmarks time: at exit it writes the process's
// own resource usage (peak RSS, worker threads included; CPU time) as one last line on stderr.

import { writeSync } from 'node:fs';
import { formatResourceUsageLine } from './resource-usage-line.js';

process.on('exit', () => {
  const usage = process.resourceUsage();
  writeSync(2, `\n${formatResourceUsageLine({ maxRssKb: usage.maxRSS, userS: usage.userCPUTime / 1e6, systemS: usage.systemCPUTime / 1e6 })}\n`);
});
