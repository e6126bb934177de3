// `npx raft-server`: the reference Raft key-value server. Settings come from RAFT_* variables
// (see `--help`); `--write-docs <file>` regenerates the server section of docs/configuration.md.

import { readFile, writeFile } from 'node:fs/promises';
import { createNodeLogger } from './node-logger.js';
import { startRaftServer } from './raft-server.js';
import { ConfigError, parseServerConfig, type ServerConfig } from './server-config.js';
import { renderHelp, withSettingsSection } from './settings-docs.js';

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(renderHelp());
    return;
  }
  const docsFlag = argv.indexOf('--write-docs');
  if (docsFlag !== -1) {
    await writeDocs(argv[docsFlag + 1] ?? 'docs/configuration.md');
    return;
  }
  if (argv.length > 0) {
    process.stderr.write(`raft-server: unknown argument ${JSON.stringify(argv[0])}; settings come from RAFT_* variables, see --help\n`);
    process.exit(2);
  }
  await serve(readConfig());
}

function readConfig(): ServerConfig {
  try {
    return parseServerConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
}

async function serve(config: ServerConfig): Promise<void> {
  // A closed stdout (the log reader went away) must not take the node down.
  process.stdout.on('error', () => undefined);
  const log = createNodeLogger(config.id);
  const fail = (event: string, error: Error): never => {
    log(event, { error: error.message, stack: error.stack });
    process.stderr.write(`raft-server ${config.id}: ${error.message}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', (error) => fail('fatal', error));
  process.on('unhandledRejection', (reason) => fail('fatal', reason instanceof Error ? reason : new Error(String(reason))));
  let server;
  try {
    server = await startRaftServer(config, log, (error) => fail('fatal', error));
  } catch (error) {
    return fail('start-failed', error as Error);
  }
  const stop = (signal: string): void => {
    server
      .stop(signal)
      .then(() => process.exit(0))
      .catch((error: Error) => fail('stop-failed', error));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

async function writeDocs(path: string): Promise<void> {
  const existing = await readFile(path, 'utf8').catch(() => '# Configuration\n');
  await writeFile(path, withSettingsSection(existing));
  process.stdout.write(`wrote the raft-server settings section of ${path}\n`);
}

await main(process.argv.slice(2));
