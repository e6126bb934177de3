// Every system `--system` can name, one line each. Adding a system: its folder under
// harness/systems/ implementing `System` (system.ts), one line here, its driver test, and its row
// in docs/systems.md.

import { etcdSerializableSystem, etcdSystem } from './etcd/etcd-system.js';
import { natsSystem } from './nats/nats-system.js';
import { raftSystem } from './raft/spec-server-system.js';
import type { System } from './system.js';
import { zookeeperSyncSystem, zookeeperSystem } from './zookeeper/zookeeper-system.js';

export const systems: readonly System[] = [
  raftSystem,
  etcdSystem,
  etcdSerializableSystem,
  natsSystem,
  zookeeperSystem,
  zookeeperSyncSystem,
];

export const defaultSystemName = raftSystem.name;

export function findSystem(name: string): System | undefined {
  return systems.find((system) => system.name === name);
}
