// Keeps one node running as a StatefulSet would: the same data directory and ports across
// restarts. After a kill (SIGKILL to the group) or an unexpected exit it starts the node again
// after restartDelayMs; stop is SIGTERM to the group, then SIGKILL after a deadline; pause and
// resume are SIGSTOP and SIGCONT to the group.

import { setTimeout as delay } from 'node:timers/promises';
import { freePorts } from '../../shared/free-ports.js';
import { describeExit, spawnNodeChild, type ExpectedExit, type NodeChild } from './node-child.js';
import { appendMarker, lastLines, logSize, readLogSince } from './node-log.js';
import { crashMessage, gaveUpMessage, startFailureMessage, type NodeCrash } from './node-messages.js';
import { killGroup, signalGroup, waitForGroupGone } from '../../shared/process-group.js';
import type { ServerCommand } from '../../systems/raft/server-command.js';
import { groupMembers } from '../../shared/process-table.js';
import { waitForListening } from './wait-for-listening.js';

export interface SupervisorSettings {
  node: string;
  logPath: string;
  /** The address the node listens on (its client and peer ports). */
  host: string;
  /** The group id its processes run with, where links are cut by iptables owner match. */
  groupId?: number;
  /** The command and variables for the node's current ports (config files written before it returns). */
  launch: (ports: { clientPort: number; peerPort: number }) => Promise<PreparedLaunch>;
  restartDelayMs: number;
  stopTimeoutMs: number;
  startTimeoutMs: number;
  maxCrashRestarts: number;
  report: (message: string) => void;
  /** Called whenever the pid or the ports changed (the run record is rewritten). */
  changed: () => void;
}

const crashLines = 20;
const portAttempts = 5;
const killTimeoutMs = 10_000;
/** A node that ran this long before crashing starts a fresh count of consecutive crashes. */
const stableRunMs = 10_000;

export type { NodeCrash };

export interface PreparedLaunch {
  command: ServerCommand;
  environment: Record<string, string>;
}

export class NodeSupervisor {
  readonly crashes: NodeCrash[] = [];
  private child: NodeChild | undefined;
  /** What the last launch ran, for messages. */
  private commandDisplay = '';
  private paused = false;
  private wantedUp = true;
  private closed = false;
  private consecutiveCrashes = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private launching: Promise<void> | undefined;
  /** Set while `killWhile` works on the dead node: no start or restart may begin. */
  private holding: Promise<unknown> | undefined;

  constructor(
    private readonly settings: SupervisorSettings,
    public clientPort: number,
    public peerPort: number,
  ) {}

  get node(): string {
    return this.settings.node;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  get isStopped(): boolean {
    return !this.wantedUp;
  }

  /** Starts the node and waits until it listens on its client port. */
  async start(): Promise<void> {
    this.wantedUp = true;
    this.consecutiveCrashes = 0;
    clearTimeout(this.restartTimer);
    // A launch under way (a restart, a concurrent start) finishes first; each has a deadline.
    while (this.launching !== undefined) await this.launching.catch(() => undefined);
    while (this.holding !== undefined) await this.holding.catch(() => undefined);
    if (this.closed || this.child !== undefined) return;
    await this.launch('start');
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined) return this.settings.report(`${this.node} is not running; nothing to kill`);
    await this.killChild(child);
    this.scheduleRestart('restart after kill');
  }

  /** SIGKILL to the child's group; resolves once it is gone. */
  private async killChild(child: NodeChild): Promise<void> {
    child.expectedExit = 'kill';
    this.paused = false;
    signalGroup(child.pid, 'SIGKILL');
    await this.awaitExit(child);
  }

  /**
   * SIGKILL (when running), then `whileDown` with the node down and no restart pending, then the
   * restart after restartDelayMs. When `whileDown` fails the node stays down and the error is thrown.
   */
  async killWhile<T>(whileDown: () => Promise<T>, restartReason: string): Promise<T> {
    while (this.holding !== undefined) await this.holding.catch(() => undefined);
    const holding = this.killThen(whileDown);
    this.holding = holding;
    let result: T;
    try {
      result = await holding;
    } finally {
      this.holding = undefined;
    }
    this.scheduleRestart(restartReason);
    return result;
  }

  private async killThen<T>(whileDown: () => Promise<T>): Promise<T> {
    clearTimeout(this.restartTimer);
    await this.launching?.catch(() => undefined);
    if (this.child !== undefined) await this.killChild(this.child);
    return whileDown();
  }

  async stop(): Promise<void> {
    this.wantedUp = false;
    clearTimeout(this.restartTimer);
    await this.launching?.catch(() => undefined);
    const child = this.child;
    if (child !== undefined) await this.terminate(child, 'stop', this.settings.stopTimeoutMs);
  }

  async pause(): Promise<void> {
    const child = this.child;
    if (child === undefined) return this.settings.report(`${this.node} is not running; nothing to pause`);
    signalGroup(child.pid, 'SIGSTOP');
    this.paused = true;
    await this.waitForStopped(child.pid);
  }

  async resume(): Promise<void> {
    const child = this.child;
    if (child !== undefined && this.paused) signalGroup(child.pid, 'SIGCONT');
    this.paused = false;
  }

  /** Stops the node for good: SIGTERM, SIGKILL after `graceMs`; waits until the group is gone. */
  async teardown(graceMs: number): Promise<void> {
    this.closed = true;
    this.wantedUp = false;
    clearTimeout(this.restartTimer);
    await this.holding?.catch(() => undefined);
    await this.launching?.catch(() => undefined);
    const child = this.child;
    if (child !== undefined) await this.terminate(child, 'teardown', graceMs);
  }

  /**
   * `--keep`: stops the supervised node (SIGTERM), then starts it again on the same ports and data
   * as `launch` says, released: no supervisor, nothing in the harness waits for it. Returns its pid.
   */
  async handOver(launch: PreparedLaunch, graceMs: number): Promise<number> {
    await this.teardown(graceMs);
    const { host } = this.settings;
    await appendMarker(this.settings.logPath, `kept after the run (--keep): ${this.node} client ${host}:${this.clientPort} peer ${host}:${this.peerPort}, links direct`);
    const logStart = await logSize(this.settings.logPath);
    const child = await spawnNodeChild({
      command: launch.command,
      environment: launch.environment,
      logPath: this.settings.logPath,
      logStart,
      release: true,
      ...(this.settings.groupId !== undefined ? { groupId: this.settings.groupId } : {}),
    });
    const outcome = await waitForListening(() => ({ host, port: this.clientPort }), child.exited, this.settings.startTimeoutMs, () => false, child.pid);
    if (outcome !== 'listening') {
      signalGroup(child.pid, 'SIGKILL');
      const output = await readLogSince(this.settings.logPath, logStart);
      throw new Error(`${this.node} did not come back after --keep (${outcome}); its last lines:\n${lastLines(output, crashLines).join('\n')}`);
    }
    return child.pid;
  }

  private async terminate(child: NodeChild, reason: ExpectedExit, graceMs: number): Promise<void> {
    child.expectedExit = reason;
    signalGroup(child.pid, 'SIGTERM');
    if (this.paused) signalGroup(child.pid, 'SIGCONT');
    this.paused = false;
    if (!(await waitForGroupGone(child.pid, graceMs))) {
      this.settings.report(`${this.node} (pid ${child.pid}) still running ${graceMs} ms after SIGTERM; sending SIGKILL`);
      signalGroup(child.pid, 'SIGKILL');
    }
    await this.awaitExit(child);
  }

  /** Waits for the group leader's exit and for the whole group to be gone. */
  private async awaitExit(child: NodeChild): Promise<void> {
    const deadline = new AbortController();
    const exited = await Promise.race([
      child.exited.then(() => true),
      delay(killTimeoutMs, false, { signal: deadline.signal }).catch(() => false),
    ]);
    deadline.abort();
    if (!exited) {
      throw new Error(`${this.node} (pid ${child.pid}) did not exit within ${killTimeoutMs} ms of being signalled`);
    }
    await killGroup(child.pid, killTimeoutMs);
    if (this.child === child) this.child = undefined;
    this.settings.changed();
  }

  private async waitForStopped(processGroupId: number): Promise<void> {
    const deadline = Date.now() + killTimeoutMs;
    while (Date.now() < deadline) {
      const members = await groupMembers(processGroupId);
      if (members.every((member) => member.state === 'T' || member.state === 't')) return;
      await delay(10);
    }
    this.settings.report(`${this.node}: not every process of group ${processGroupId} stopped after SIGSTOP`);
  }

  private scheduleRestart(reason: string): void {
    if (this.closed || !this.wantedUp || this.holding !== undefined) return;
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => void this.relaunch(reason), this.settings.restartDelayMs);
  }

  private async relaunch(reason: string): Promise<void> {
    if (this.closed || !this.wantedUp || this.holding !== undefined || this.child !== undefined || this.launching !== undefined) return;
    try {
      await this.launch(reason);
    } catch (error) {
      // A node that exits during a restart crashed like any other (it may even have listened
      // briefly, before the supervisor looked).
      if (error instanceof NodeStartError) this.crashes.push(error.crash);
      this.settings.report(`${this.node}: ${(error as Error).message}`);
      this.settings.changed();
      this.countCrash(0);
    }
  }

  /** Spawns the node and waits until it listens; on a port taken meanwhile, retries on fresh ports. */
  private launch(reason: string): Promise<void> {
    const launching = this.launchAttempts(reason).finally(() => {
      if (this.launching === launching) this.launching = undefined;
    });
    this.launching = launching;
    return launching;
  }

  private async launchAttempts(reason: string): Promise<void> {
    for (let attempt = 1; attempt <= portAttempts; attempt += 1) {
      const child = await this.spawn(attempt === 1 ? reason : `${reason}, attempt ${attempt} on fresh ports`);
      const outcome = await waitForListening(
        () => ({ host: this.settings.host, port: this.clientPort }),
        child.exited,
        this.settings.startTimeoutMs,
        () => this.closed || !this.wantedUp || child.expectedExit !== undefined,
        child.pid,
      );
      child.launching = false;
      if (outcome === 'listening' || outcome === 'aborted') return;
      const output = await readLogSince(this.settings.logPath, child.logStart);
      await this.discard(child);
      if (outcome === 'exited' && /EADDRINUSE/.test(output) && attempt < portAttempts) {
        await this.allocatePorts();
        continue;
      }
      const exit = outcome === 'exited' ? describeExit(await child.exited) : `not listening after ${this.settings.startTimeoutMs} ms, killed`;
      throw new NodeStartError(this.startFailure(child, outcome, exit, output), this.crashOf(child, exit, output));
    }
  }

  private async spawn(reason: string): Promise<NodeChild> {
    const ports = { clientPort: this.clientPort, peerPort: this.peerPort };
    const { host } = this.settings;
    const launch = await this.settings.launch(ports);
    this.commandDisplay = launch.command.display;
    await appendMarker(
      this.settings.logPath,
      `${reason}: ${this.node} client ${host}:${ports.clientPort} peer ${host}:${ports.peerPort} command ${launch.command.display}`,
    );
    const child = await spawnNodeChild({
      command: launch.command,
      environment: launch.environment,
      logPath: this.settings.logPath,
      logStart: await logSize(this.settings.logPath),
      ...(this.settings.groupId !== undefined ? { groupId: this.settings.groupId } : {}),
    });
    this.child = child;
    this.paused = false;
    void child.exited.then((exit) => this.afterExit(child, describeExit(exit)));
    this.settings.changed();
    return child;
  }

  /** Kills what is left of a child that failed to start. */
  private async discard(child: NodeChild): Promise<void> {
    child.expectedExit ??= 'kill';
    signalGroup(child.pid, 'SIGKILL');
    await this.awaitExit(child);
  }

  private startFailure(child: NodeChild, outcome: string, exit: string, output: string): string {
    const what =
      outcome === 'exited'
        ? `exited before listening (${exit})`
        : `did not listen on ${this.settings.host}:${this.clientPort} within ${this.settings.startTimeoutMs} ms`;
    return startFailureMessage({
      node: this.node,
      pid: child.pid,
      command: this.commandDisplay,
      what,
      lastLines: lastLines(output, crashLines),
      logPath: this.settings.logPath,
    });
  }

  private async allocatePorts(): Promise<void> {
    [this.clientPort, this.peerPort] = (await freePorts(2)) as [number, number];
    this.settings.changed();
  }

  private afterExit(child: NodeChild, exit: string): void {
    if (child.expectedExit !== undefined || child.launching) return;
    if (this.child === child) this.child = undefined;
    this.paused = false;
    void this.handleCrash(child, exit);
  }

  private async handleCrash(child: NodeChild, exit: string): Promise<void> {
    const output = await readLogSince(this.settings.logPath, child.logStart);
    await killGroup(child.pid, killTimeoutMs).catch((error: Error) => this.settings.report(error.message));
    const crash = this.crashOf(child, exit, output);
    this.crashes.push(crash);
    this.settings.report(crashMessage(crash));
    this.settings.changed();
    const portTaken = /EADDRINUSE/.test(output);
    if (portTaken) await this.allocatePorts();
    const reason = portTaken ? 'restart after crash, on fresh ports (a port was taken)' : 'restart after crash';
    this.countCrash(Date.now() - child.startedAtMs, reason);
  }

  private crashOf(child: NodeChild, exit: string, output: string): NodeCrash {
    return { node: this.node, pid: child.pid, exit, lastLines: lastLines(output, crashLines), logPath: this.settings.logPath, atMs: Date.now() };
  }

  private countCrash(ranMs: number, reason = 'restart after crash'): void {
    this.consecutiveCrashes = ranMs >= stableRunMs ? 1 : this.consecutiveCrashes + 1;
    if (this.consecutiveCrashes > this.settings.maxCrashRestarts) {
      this.settings.report(gaveUpMessage(this.node, this.consecutiveCrashes, this.settings.logPath));
      return;
    }
    this.scheduleRestart(reason);
  }
}

/** A launch that failed: the message for people, and the crash record it counts as during a restart. */
class NodeStartError extends Error {
  constructor(
    message: string,
    readonly crash: NodeCrash,
  ) {
    super(message);
  }
}
