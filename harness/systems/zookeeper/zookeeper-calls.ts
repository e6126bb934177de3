// node-zookeeper-client's callbacks as promises with a deadline: past it the call is given up
// (it may still take effect) and rejects with a DeadlineError.

import type { Client, Stat } from 'node-zookeeper-client';
import { syncPath } from './zookeeper-sync-request.js';

export class DeadlineError extends Error {}

function withDeadline<T>(what: string, timeoutMs: number, start: (done: (error: unknown, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new DeadlineError(`${what}: no answer within ${timeoutMs} ms`)), timeoutMs);
    start((error, value) => {
      clearTimeout(timer);
      if (error === null || error === undefined) resolve(value);
      else reject(error);
    });
  });
}

export interface ZookeeperCalls {
  getData(path: string): Promise<{ data: Buffer | undefined; stat: Stat }>;
  setData(path: string, data: Buffer, version: number): Promise<void>;
  create(path: string, data: Buffer): Promise<void>;
  remove(path: string): Promise<void>;
  sync(path: string): Promise<void>;
}

export function zookeeperCalls(client: Client, timeoutMs: number): ZookeeperCalls {
  return {
    getData: (path) =>
      withDeadline(`getData ${path}`, timeoutMs, (done) => client.getData(path, (error, data, stat) => done(error, { data, stat }))),
    setData: (path, data, version) =>
      withDeadline(`setData ${path}`, timeoutMs, (done) => client.setData(path, data, version, (error) => done(error, undefined))),
    create: (path, data) => withDeadline(`create ${path}`, timeoutMs, (done) => client.create(path, data, (error) => done(error, undefined))),
    remove: (path) => withDeadline(`delete ${path}`, timeoutMs, (done) => client.remove(path, -1, (error) => done(error, undefined))),
    sync: (path) => withDeadline(`sync ${path}`, timeoutMs, (done) => syncPath(client, path, (error) => done(error, undefined))),
  };
}
