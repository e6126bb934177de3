// uPlot (MIT, ~50 KB) read from node_modules so the evidence page is one self-contained file.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

let cached: { script: string; style: string } | undefined;

export function uplotAssets(): { script: string; style: string } {
  if (cached === undefined) {
    const require = createRequire(import.meta.url);
    const script = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
    const style = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
    cached = { script: script.replaceAll('</script', '<\\/script'), style };
  }
  return cached;
}
