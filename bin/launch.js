// Loads a compiled entry point, or says how to build it when it is missing.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function launch(relativeEntry, fromUrl) {
  const entryUrl = new URL(relativeEntry, fromUrl);
  if (!existsSync(fileURLToPath(entryUrl))) {
    process.stderr.write(
      `${fileURLToPath(entryUrl)} is missing: the TypeScript sources are not built.\n` +
        'Run `npm install` (it builds through the prepare script) or `npm run build`, then try again.\n',
    );
    process.exit(2);
  }
  await import(entryUrl.href);
}
