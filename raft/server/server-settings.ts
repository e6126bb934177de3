// The one table of the reference server's settings: every RAFT_* variable, its default and its
// documentation. `raft-server --help` and the server section of docs/configuration.md are
// generated from it (see settings-docs.ts); parse-server-config.ts reads the environment by it.

export type SettingKind = 'name' | 'names' | 'address' | 'peers' | 'directory' | 'positive-integer' | 'non-negative-integer' | 'seed' | 'boolean';

export interface Setting {
  readonly variable: string;
  /** Undefined: the variable is required. */
  readonly defaultValue: string | undefined;
  readonly kind: SettingKind;
  readonly doc: string;
}

export const settings = [
  { variable: 'RAFT_ID', defaultValue: undefined, kind: 'name', doc: "This node's name, e.g. `raft-0`; must appear in RAFT_PEERS unless RAFT_JOIN is set." },
  { variable: 'RAFT_LISTEN', defaultValue: undefined, kind: 'address', doc: '`host:port` to serve clients on (port 0: any free port, logged in the `started` event).' },
  {
    variable: 'RAFT_PEERS',
    defaultValue: undefined,
    kind: 'peers',
    doc: '`raft-0=host:port,raft-1=host:port,…`, every node including this one. The node dials the others at the addresses given (one connection per directed link, so a proxy per link sees all the traffic of that link) and accepts peer connections on the port of its own entry: when that port is the RAFT_LISTEN port, peers and clients share it; otherwise it listens there too (on the RAFT_LISTEN host when that is 0.0.0.0 or ::, else on the host of the entry). On any port it listens on, a connection whose first line is `{"peer":"<name>"}` carries Raft messages from that peer, one JSON object per line; any other connection is a client.',
  },
  {
    variable: 'RAFT_JOIN',
    defaultValue: 'false',
    kind: 'boolean',
    doc: 'Start to be added to a running cluster: with an empty data directory the node is in no configuration, never starts an election and does not vote until a leader replicates a configuration to it (after `add-member`). RAFT_PEERS then lists the current members (so it can answer the leader) and, optionally, this node (its peer port; without it, peers use the RAFT_LISTEN port). Ignored once the data directory holds a configuration.',
  },
  {
    variable: 'RAFT_MEMBERS',
    defaultValue: '',
    kind: 'names',
    doc: 'Comma-separated names of the launch configuration\'s voters, each listed in RAFT_PEERS; empty: every node of RAFT_PEERS. Nodes of RAFT_PEERS left out are spares: not members, but their RAFT_PEERS address is the one this node dials once `add-member` adds them (so a harness can give each link its own proxy before the node exists). RAFT_ID must be a member unless RAFT_JOIN is set.',
  },
  { variable: 'RAFT_DATA_DIR', defaultValue: undefined, kind: 'directory', doc: 'Directory for the write-ahead log (`wal/`), `hard-state.rec` and `snapshot.rec`; created if missing; must survive restarts.' },
  { variable: 'RAFT_TICK_MS', defaultValue: '10', kind: 'positive-integer', doc: 'Length of one core tick, in milliseconds; timeouts below are rounded up to whole ticks.' },
  { variable: 'RAFT_ELECTION_TIMEOUT_MS_MIN', defaultValue: '150', kind: 'positive-integer', doc: 'Shortest election timeout, in milliseconds; each timeout is drawn uniformly from [MIN, MAX].' },
  { variable: 'RAFT_ELECTION_TIMEOUT_MS_MAX', defaultValue: '300', kind: 'positive-integer', doc: 'Longest election timeout, in milliseconds; at least RAFT_ELECTION_TIMEOUT_MS_MIN.' },
  { variable: 'RAFT_HEARTBEAT_MS', defaultValue: '50', kind: 'positive-integer', doc: 'Interval between leader heartbeats, in milliseconds; below RAFT_ELECTION_TIMEOUT_MS_MIN.' },
  { variable: 'RAFT_REQUEST_TIMEOUT_MS', defaultValue: '3000', kind: 'positive-integer', doc: 'A client request not answered within this many milliseconds gets `timeout` (indefinite).' },
  { variable: 'RAFT_SNAPSHOT_THRESHOLD', defaultValue: '10000', kind: 'positive-integer', doc: 'Take a snapshot, and drop the log entries it covers from disk, once this many applied entries follow the last snapshot.' },
  { variable: 'RAFT_MAX_ENTRIES_PER_MESSAGE', defaultValue: '512', kind: 'positive-integer', doc: 'Most log entries in one AppendEntries message. A follower that a commit does not need gets new entries with each heartbeat, unless it is more than this many behind: then it is caught up at once.' },
  { variable: 'RAFT_CLIENT_OUTPUT_LIMIT_BYTES', defaultValue: '8388608', kind: 'positive-integer', doc: 'A client connection whose unread responses exceed this many bytes is closed (a client that never reads cannot hold memory).' },
  { variable: 'RAFT_PEER_QUEUE_LIMIT_BYTES', defaultValue: '16777216', kind: 'positive-integer', doc: 'Most bytes of Raft messages queued for one peer; beyond it the oldest queued messages are dropped (Raft tolerates loss).' },
  { variable: 'RAFT_SEED', defaultValue: '', kind: 'seed', doc: 'Integer seed of the election-timeout jitter (mixed with RAFT_ID); empty: a random seed, logged in the `started` event.' },
  { variable: 'RAFT_BUG_STALE_READS', defaultValue: 'false', kind: 'boolean', doc: 'Bug mode (core): serve `get` from local state without quorum confirmation.' },
  { variable: 'RAFT_BUG_ACK_BEFORE_COMMIT', defaultValue: 'false', kind: 'boolean', doc: 'Bug mode (core): acknowledge writes once appended on the leader, before commit.' },
  { variable: 'RAFT_BUG_DOUBLE_VOTE', defaultValue: 'false', kind: 'boolean', doc: 'Bug mode (core): grant a vote to every candidate of a term, not just the first.' },
  { variable: 'RAFT_BUG_COMMIT_OLD_TERM', defaultValue: 'false', kind: 'boolean', doc: 'Bug mode (core): commit entries of earlier terms by counting replicas (Raft paper figure 8).' },
  { variable: 'RAFT_BUG_UNSAFE_MEMBERSHIP', defaultValue: 'false', kind: 'boolean', doc: 'Bug mode (core): start a membership change while another is uncommitted, and before a new leader has committed an entry of its term.' },
  { variable: 'RAFT_BUG_NO_FSYNC', defaultValue: 'false', kind: 'boolean', doc: 'Bug mode (shell): never fsync; acknowledged data may be lost when the machine, not just the process, stops.' },
  { variable: 'RAFT_BUG_FORGET_STATE', defaultValue: 'false', kind: 'boolean', doc: 'Bug mode (shell): erase and ignore everything persisted at start, as a node whose disk lied would.' },
] as const satisfies readonly Setting[];

export type SettingVariable = (typeof settings)[number]['variable'];

export const expectedByKind: Record<SettingKind, string> = {
  name: 'a non-empty name without spaces, "=" or ","',
  names: 'names separated by commas (no spaces, "=" or ","), or empty',
  address: 'host:port with a port from 0 to 65535',
  peers: 'name=host:port pairs separated by commas, names unique',
  directory: 'a non-empty path',
  'positive-integer': 'a whole number of at least 1',
  'non-negative-integer': 'a whole number of at least 0',
  seed: 'an integer, or empty for a random seed',
  boolean: 'one of true, false, 1, 0, yes, no, on, off',
};
