import t from 'tap';
import { spawnSync } from 'node:child_process';
import { ConfigError, parseServerConfig } from '../../raft/server/server-config.js';
import { settings } from '../../raft/server/server-settings.js';
import { renderHelp, renderSettingsMarkdown, withSettingsSection } from '../../raft/server/settings-docs.js';
import { serverBin } from './test-cluster.js';

const required = {
  RAFT_ID: 'raft-1',
  RAFT_LISTEN: '127.0.0.1:7001',
  RAFT_PEERS: 'raft-0=127.0.0.1:7000,raft-1=127.0.0.1:7001,raft-2=10.0.0.3:9000',
  RAFT_DATA_DIR: '/tmp/data',
};

function problem(environment: Record<string, string>): string {
  try {
    parseServerConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return 'no error';
}

t.test('defaults apply and values are parsed', async (t) => {
  const config = parseServerConfig({ ...required, RAFT_BUG_NO_FSYNC: 'yes', RAFT_SEED: '42' });
  t.equal(config.id, 'raft-1');
  t.same(config.listen, { host: '127.0.0.1', port: 7001 });
  t.same([...config.peers.keys()], ['raft-0', 'raft-1', 'raft-2']);
  t.same(config.peers.get('raft-2'), { host: '10.0.0.3', port: 9000 });
  t.same([config.tickMs, config.electionTimeoutMsMin, config.electionTimeoutMsMax, config.heartbeatMs], [10, 150, 300, 50]);
  t.equal(config.seed, 42);
  t.equal(config.bugs.noFsync, true);
  t.equal(config.bugs.forgetState, false);
  t.same(config.members, ['raft-0', 'raft-1', 'raft-2'], 'RAFT_MEMBERS defaults to every node of RAFT_PEERS');
});

t.test('RAFT_MEMBERS narrows the launch configuration and leaves the other peers as spares', async (t) => {
  const config = parseServerConfig({ ...required, RAFT_MEMBERS: 'raft-0, raft-1' });
  t.same(config.members, ['raft-0', 'raft-1']);
  t.same([...config.peers.keys()], ['raft-0', 'raft-1', 'raft-2'], 'the spare keeps its address');
  const spare = parseServerConfig({ ...required, RAFT_MEMBERS: 'raft-0,raft-2', RAFT_JOIN: 'true' });
  t.same(spare.members, ['raft-0', 'raft-2'], 'a spare started with RAFT_JOIN is accepted');
});

t.test('invalid values are refused naming the variable, the value and what is expected', async (t) => {
  t.match(problem({ ...required, RAFT_TICK_MS: 'fast' }), /RAFT_TICK_MS="fast": expected a whole number of at least 1/);
  t.match(problem({ ...required, RAFT_LISTEN: 'localhost' }), /RAFT_LISTEN="localhost": expected host:port/);
  t.match(problem({ ...required, RAFT_BUG_DOUBLE_VOTE: 'maybe' }), /RAFT_BUG_DOUBLE_VOTE="maybe": expected one of true, false/);
  t.match(problem({ ...required, RAFT_PEERS: 'raft-0=127.0.0.1:7000' }), /no entry for RAFT_ID="raft-1"/);
  t.match(problem({ ...required, RAFT_PEERS: 'raft-1=127.0.0.1:1,raft-1=127.0.0.1:2' }), /RAFT_PEERS=.*names unique/);
  t.match(problem({ ...required, RAFT_ELECTION_TIMEOUT_MS_MIN: '300', RAFT_ELECTION_TIMEOUT_MS_MAX: '200' }), /RAFT_ELECTION_TIMEOUT_MS_MAX=200: expected at least/);
  t.match(problem({ ...required, RAFT_HEARTBEAT_MS: '500' }), /RAFT_HEARTBEAT_MS=500: expected less than RAFT_ELECTION_TIMEOUT_MS_MIN/);
  t.match(problem({ ...required, RAFT_MEMBERS: 'raft-0,raft-1,raft-9' }), /RAFT_MEMBERS="raft-0,raft-1,raft-9" names raft-9, not in RAFT_PEERS/);
  t.match(problem({ ...required, RAFT_MEMBERS: 'raft-0,raft-2' }), /RAFT_MEMBERS="raft-0,raft-2" leaves out RAFT_ID="raft-1"; add it, or set RAFT_JOIN=true/);
  t.match(problem({ ...required, RAFT_MEMBERS: 'raft-0, raft 1' }), /RAFT_MEMBERS=.*expected names separated by commas/);
  const { RAFT_DATA_DIR: _dropped, ...withoutDataDir } = required;
  t.match(problem(withoutDataDir), /RAFT_DATA_DIR is not set/);
});

t.test('--help and the configuration doc list every variable with its default', async (t) => {
  const help = renderHelp();
  const markdown = renderSettingsMarkdown();
  for (const setting of settings) {
    t.match(help, setting.variable);
    t.match(markdown, `\`${setting.variable}\``);
    if (setting.defaultValue) t.match(help, `default "${setting.defaultValue}"`);
  }
  const document = withSettingsSection('# Configuration\n\n## Harness\n\nkept\n');
  t.match(document, '## Harness\n\nkept');
  t.equal(withSettingsSection(document), document, 'regenerating is idempotent');
});

t.test('the real binary exits 2 on invalid settings and prints help', async (t) => {
  const invalid = spawnSync(process.execPath, [serverBin], { env: { ...process.env, ...required, RAFT_HEARTBEAT_MS: '-1' }, encoding: 'utf8', timeout: 30_000 });
  t.equal(invalid.status, 2);
  t.match(invalid.stderr, /RAFT_HEARTBEAT_MS="-1": expected a whole number of at least 1/);
  const help = spawnSync(process.execPath, [serverBin, '--help'], { encoding: 'utf8', timeout: 30_000 });
  t.equal(help.status, 0);
  t.match(help.stdout, /RAFT_SNAPSHOT_THRESHOLD \(default "10000"\)/);
});

t.test('the peer port is shared with the client port, or opened on the right host', async (t) => {
  const { peerListenAddress } = await import('../../raft/server/raft-server.js');
  const shared = parseServerConfig({ ...required, RAFT_PEERS: 'raft-0=10.0.0.1:7001,raft-1=raft-1.local:7001' });
  t.equal(peerListenAddress(shared), null, 'same port: one shared listener');
  const separate = parseServerConfig({ ...required, RAFT_PEERS: 'raft-0=127.0.0.1:8000,raft-1=127.0.0.1:8001' });
  t.same(peerListenAddress(separate), { host: '127.0.0.1', port: 8001 });
  const wildcard = parseServerConfig({ ...required, RAFT_LISTEN: '0.0.0.0:7001', RAFT_PEERS: 'raft-0=raft-0.svc:8000,raft-1=raft-1.svc:8001' });
  t.same(peerListenAddress(wildcard), { host: '0.0.0.0', port: 8001 }, 'a wildcard client host is kept for the peer port');
});
