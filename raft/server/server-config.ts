// The server's configuration, read from RAFT_* environment variables by the settings table.
// Invalid values are refused with a message naming the variable, the value and what is expected.

import { expectedByKind, settings, type SettingKind, type SettingVariable } from './server-settings.js';

export interface Address {
  host: string;
  port: number;
}

export interface ServerConfig {
  id: string;
  listen: Address;
  /** Every node including this one (unless joining), in the order given. */
  peers: Map<string, Address>;
  /** RAFT_MEMBERS: the launch configuration's voters, every one a key of `peers`. */
  members: string[];
  /** RAFT_JOIN: started to be added to a running cluster. */
  join: boolean;
  dataDir: string;
  tickMs: number;
  electionTimeoutMsMin: number;
  electionTimeoutMsMax: number;
  heartbeatMs: number;
  requestTimeoutMs: number;
  snapshotThresholdEntries: number;
  maxEntriesPerMessage: number;
  clientOutputLimitBytes: number;
  peerQueueLimitBytes: number;
  seed: number | null;
  bugs: {
    staleReads: boolean;
    ackBeforeCommit: boolean;
    doubleVote: boolean;
    commitOldTerm: boolean;
    unsafeMembership: boolean;
    noFsync: boolean;
    forgetState: boolean;
  };
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Raw = Record<SettingVariable, string>;

/** Reads and validates the configuration; throws ConfigError listing every problem found. */
export function parseServerConfig(environment: Record<string, string | undefined>): ServerConfig {
  const problems: string[] = [];
  const raw = {} as Raw;
  for (const setting of settings) {
    const given = environment[setting.variable];
    const value = given === undefined || (given === '' && setting.defaultValue !== undefined) ? setting.defaultValue : given;
    if (value === undefined) problems.push(`${setting.variable} is not set; expected ${expectedByKind[setting.kind]}`);
    else if (!isValid(setting.kind, value)) problems.push(`${setting.variable}=${JSON.stringify(value)}: expected ${expectedByKind[setting.kind]}`);
    raw[setting.variable] = value ?? '';
  }
  if (problems.length === 0) problems.push(...crossCheck(raw));
  if (problems.length > 0) {
    throw new ConfigError(`raft-server: invalid settings:\n  ${problems.join('\n  ')}\nRun \`npx raft-server --help\` for every setting.`);
  }
  return build(raw);
}

function build(raw: Raw): ServerConfig {
  const integer = (variable: SettingVariable): number => Number(raw[variable]);
  const flag = (variable: SettingVariable): boolean => parseBoolean(raw[variable]) === true;
  return {
    id: raw.RAFT_ID,
    listen: parseAddress(raw.RAFT_LISTEN)!,
    peers: parsePeers(raw.RAFT_PEERS)!,
    members: launchMembers(raw),
    join: flag('RAFT_JOIN'),
    dataDir: raw.RAFT_DATA_DIR,
    tickMs: integer('RAFT_TICK_MS'),
    electionTimeoutMsMin: integer('RAFT_ELECTION_TIMEOUT_MS_MIN'),
    electionTimeoutMsMax: integer('RAFT_ELECTION_TIMEOUT_MS_MAX'),
    heartbeatMs: integer('RAFT_HEARTBEAT_MS'),
    requestTimeoutMs: integer('RAFT_REQUEST_TIMEOUT_MS'),
    snapshotThresholdEntries: integer('RAFT_SNAPSHOT_THRESHOLD'),
    maxEntriesPerMessage: integer('RAFT_MAX_ENTRIES_PER_MESSAGE'),
    clientOutputLimitBytes: integer('RAFT_CLIENT_OUTPUT_LIMIT_BYTES'),
    peerQueueLimitBytes: integer('RAFT_PEER_QUEUE_LIMIT_BYTES'),
    seed: raw.RAFT_SEED === '' ? null : Number(raw.RAFT_SEED),
    bugs: {
      staleReads: flag('RAFT_BUG_STALE_READS'),
      ackBeforeCommit: flag('RAFT_BUG_ACK_BEFORE_COMMIT'),
      doubleVote: flag('RAFT_BUG_DOUBLE_VOTE'),
      commitOldTerm: flag('RAFT_BUG_COMMIT_OLD_TERM'),
      unsafeMembership: flag('RAFT_BUG_UNSAFE_MEMBERSHIP'),
      noFsync: flag('RAFT_BUG_NO_FSYNC'),
      forgetState: flag('RAFT_BUG_FORGET_STATE'),
    },
  };
}

function crossCheck(raw: Raw): string[] {
  const problems: string[] = [];
  const peers = parsePeers(raw.RAFT_PEERS)!;
  const joining = parseBoolean(raw.RAFT_JOIN) === true;
  if (!peers.has(raw.RAFT_ID) && !joining) {
    problems.push(`RAFT_PEERS=${JSON.stringify(raw.RAFT_PEERS)} has no entry for RAFT_ID=${JSON.stringify(raw.RAFT_ID)}; list every node including this one, or set RAFT_JOIN=true to join a running cluster`);
  }
  const members = launchMembers(raw);
  const unknown = members.filter((member) => !peers.has(member));
  if (unknown.length > 0) {
    problems.push(`RAFT_MEMBERS=${JSON.stringify(raw.RAFT_MEMBERS)} names ${unknown.join(', ')}, not in RAFT_PEERS; give every member's address in RAFT_PEERS`);
  } else if (peers.has(raw.RAFT_ID) && !members.includes(raw.RAFT_ID) && !joining) {
    problems.push(`RAFT_MEMBERS=${JSON.stringify(raw.RAFT_MEMBERS)} leaves out RAFT_ID=${JSON.stringify(raw.RAFT_ID)}; add it, or set RAFT_JOIN=true to start this node as a spare that waits to be added`);
  }
  const minimum = Number(raw.RAFT_ELECTION_TIMEOUT_MS_MIN);
  if (Number(raw.RAFT_ELECTION_TIMEOUT_MS_MAX) < minimum) {
    problems.push(`RAFT_ELECTION_TIMEOUT_MS_MAX=${raw.RAFT_ELECTION_TIMEOUT_MS_MAX}: expected at least RAFT_ELECTION_TIMEOUT_MS_MIN=${minimum}`);
  }
  if (Number(raw.RAFT_HEARTBEAT_MS) >= minimum) {
    problems.push(`RAFT_HEARTBEAT_MS=${raw.RAFT_HEARTBEAT_MS}: expected less than RAFT_ELECTION_TIMEOUT_MS_MIN=${minimum}, or followers time out between heartbeats`);
  }
  if (Number(raw.RAFT_TICK_MS) > Number(raw.RAFT_HEARTBEAT_MS)) {
    problems.push(`RAFT_TICK_MS=${raw.RAFT_TICK_MS}: expected at most RAFT_HEARTBEAT_MS=${raw.RAFT_HEARTBEAT_MS}`);
  }
  return problems;
}

/** RAFT_MEMBERS, or every node of RAFT_PEERS when it is empty. */
function launchMembers(raw: Raw): string[] {
  if (raw.RAFT_MEMBERS.trim() === '') return [...parsePeers(raw.RAFT_PEERS)!.keys()];
  return raw.RAFT_MEMBERS.split(',').map((name) => name.trim());
}

function isValid(kind: SettingKind, value: string): boolean {
  switch (kind) {
    case 'name':
      return /^[^\s=,]+$/.test(value);
    case 'names':
      return value.trim() === '' || value.split(',').every((name) => /^[^\s=,]+$/.test(name.trim()));
    case 'address':
      return parseAddress(value) !== null;
    case 'peers':
      return parsePeers(value) !== null;
    case 'directory':
      return value.trim().length > 0;
    case 'positive-integer':
      return /^\d+$/.test(value) && Number.isSafeInteger(Number(value)) && Number(value) >= 1;
    case 'non-negative-integer':
      return /^\d+$/.test(value) && Number.isSafeInteger(Number(value));
    case 'seed':
      return value === '' || (/^-?\d+$/.test(value) && Number.isSafeInteger(Number(value)));
    case 'boolean':
      return parseBoolean(value) !== null;
  }
}

function parseBoolean(value: string): boolean | null {
  const normalised = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(normalised)) return true;
  if (['false', '0', 'no', 'off'].includes(normalised)) return false;
  return null;
}

/** `host:port` or `[v6]:port`; null when malformed. */
export function parseAddress(text: string): Address | null {
  const match = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(text.trim());
  if (match === null) return null;
  const port = Number(match[3]);
  if (port > 65535) return null;
  return { host: (match[1] ?? match[2])!, port };
}

export function parsePeers(text: string): Map<string, Address> | null {
  const peers = new Map<string, Address>();
  for (const item of text.split(',')) {
    const separator = item.indexOf('=');
    if (separator <= 0) return null;
    const name = item.slice(0, separator).trim();
    const address = parseAddress(item.slice(separator + 1));
    if (address === null || !/^[^\s=,]+$/.test(name) || peers.has(name)) return null;
    peers.set(name, address);
  }
  return peers.size > 0 ? peers : null;
}

export function formatAddress(address: Address): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
