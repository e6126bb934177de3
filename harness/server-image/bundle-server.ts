// Bundles a server entry point and everything it imports into one ES module with esbuild.

import { build } from 'esbuild';
import { existsSync } from 'node:fs';

/** ESM bundles of CommonJS dependencies need `require`; this banner provides it. */
const requireBanner = "import { createRequire as raftChaosCreateRequire } from 'node:module';\n" +
  'const require = raftChaosCreateRequire(import.meta.url);';

export async function bundleServer(entry: string): Promise<Buffer> {
  if (!existsSync(entry)) {
    throw new Error(
      `${entry} is missing: the server entry point is not built. Run \`npm run build\`, then build the image again`,
    );
  }
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    banner: { js: requireBanner },
    legalComments: 'none',
  });
  const output = result.outputFiles.find((file) => !file.path.endsWith('.map'));
  if (output === undefined) throw new Error(`esbuild produced no JavaScript for ${entry}`);
  return Buffer.from(output.contents);
}
