// Shared by the docker platform tests: the placeholder server, status requests from the host,
// TCP connects from inside a container's network namespace, and what the platform left behind.

import type Docker from 'dockerode';
import { execa } from 'execa';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { dockerEndpoint } from '../../../harness/shared/docker-client.js';
import { dockerLabelFilters } from '../../../harness/platforms/docker/docker-labels.js';
import { valueWithin } from '../../../harness/shared/poll-until.js';

export function noDaemonMessage(): string {
  return `no Docker daemon answers at ${dockerEndpoint()}: start dockerd to run the docker platform tests`;
}

export function placeholderEntry(): string {
  return fileURLToPath(new URL('./fixtures/placeholder-server.js', import.meta.url));
}

export function uniqueRunId(name: string): string {
  return `test-${name}-${process.pid}-${Date.now().toString(36)}`;
}

/** Sends one `status` request to `host:port`; rejects on error or when no answer comes in time. */
export function requestStatus(address: string, timeoutMs: number): Promise<Record<string, unknown>> {
  const colon = address.lastIndexOf(':');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(address.slice(colon + 1)), address.slice(0, colon));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no status answer from ${address} within ${timeoutMs} ms`));
    }, timeoutMs);
    let buffered = '';
    socket.on('connect', () => socket.write(`${JSON.stringify({ id: 1, op: 'status' })}\n`));
    socket.on('data', (chunk) => {
      buffered += chunk.toString('utf8');
      if (!buffered.includes('\n')) return;
      clearTimeout(timer);
      socket.destroy();
      resolve(JSON.parse(buffered.slice(0, buffered.indexOf('\n'))) as Record<string, unknown>);
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Retries `requestStatus` until it answers or `deadlineMs` passes (a node that is starting). */
export async function waitForStatus(address: string, deadlineMs: number): Promise<Record<string, unknown>> {
  const giveUpAt = Date.now() + deadlineMs;
  let lastError: unknown;
  while (Date.now() < giveUpAt) {
    try {
      return await requestStatus(address, Math.min(2000, Math.max(100, giveUpAt - Date.now())));
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${address} did not answer status within ${deadlineMs} ms: ${(lastError as Error)?.message}`);
}

const probeProgram = `
const net = require('node:net');
const [host, port, timeoutMs] = process.argv.slice(1);
const started = Date.now();
const socket = net.connect(Number(port), host);
const timer = setTimeout(() => { console.log(JSON.stringify({ outcome: 'timeout' })); process.exit(0); }, Number(timeoutMs));
socket.on('connect', () => {
  socket.write(JSON.stringify({ id: 1, op: 'status' }) + '\\n');
});
socket.on('data', () => { clearTimeout(timer); console.log(JSON.stringify({ outcome: 'answered', elapsedMs: Date.now() - started })); process.exit(0); });
socket.on('error', (error) => { clearTimeout(timer); console.log(JSON.stringify({ outcome: 'error', code: error.code })); process.exit(0); });
`;

export interface ProbeResult {
  outcome: 'answered' | 'timeout' | 'error';
  elapsedMs?: number;
  code?: string;
}

/** Connects to host:port and asks for status from inside the network namespace of process `pid`. */
export async function probeFromNamespace(pid: number, host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  const result = await execa('nsenter', ['-t', String(pid), '-n', process.execPath, '-e', probeProgram, host, String(port), String(timeoutMs)], {
    timeout: timeoutMs + 15_000,
  });
  return JSON.parse(result.stdout) as ProbeResult;
}

/** Names of the docker platform's containers, networks and volumes of one run. */
export async function labelledObjects(docker: Docker, runId: string): Promise<string[]> {
  const filters = JSON.stringify(dockerLabelFilters(runId));
  const containers = (await docker.listContainers({ all: true, filters })).map((container) => `container ${container.Names[0]}`);
  const networks = (await docker.listNetworks({ filters })).map((network) => `network ${network.Name}`);
  const volumes = ((await docker.listVolumes({ filters })).Volumes ?? []).map((volume) => `volume ${volume.Name}`);
  return [...containers, ...networks, ...volumes];
}

/** Host iptables lines (all tables) that mention a string, e.g. a network's bridge or subnet. */
export async function hostIptablesLinesMentioning(text: string): Promise<string[]> {
  const saved = await execa('iptables-save', [], { timeout: 30_000 });
  return saved.stdout.split('\n').filter((line) => line.includes(text));
}

/** Polls `check` until it returns a value other than undefined, or fails after `deadlineMs`. */
export function eventually<T>(what: string, deadlineMs: number, check: () => Promise<T | undefined>): Promise<T> {
  return valueWithin(what, deadlineMs, 100, check);
}
