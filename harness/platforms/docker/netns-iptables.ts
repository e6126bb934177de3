// Runs iptables inside a container's network namespace, entered from the host with nsenter.

import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { ruleComment, type RuleSpec } from './link-rules.js';

export function namespaceExists(pid: number): boolean {
  return pid > 0 && existsSync(`/proc/${pid}/ns/net`);
}

export async function iptablesInNamespace(pid: number, args: string[]): Promise<string> {
  const result = await execa('nsenter', ['-t', String(pid), '-n', 'iptables', '-w', '10', ...args], { reject: false, timeout: 30_000 });
  if (result.exitCode !== 0 && !namespaceExists(pid)) {
    throw new Error(
      `nsenter -t ${pid} -n iptables ${args.join(' ')} failed: process ${pid} is gone, so its container stopped or was removed ` +
        'outside this run (another `harness clean`, `docker rm`, or the server exited); see the node logs, then replay the run',
    );
  }
  if (result.exitCode !== 0) {
    throw new Error(
      `nsenter -t ${pid} -n iptables ${args.join(' ')} failed (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim()}; ` +
        'link faults on the docker platform need root (or CAP_SYS_ADMIN and CAP_NET_ADMIN), nsenter (util-linux) and iptables on the host',
    );
  }
  return result.stdout;
}

function ruleArguments(operation: '-I' | '-D', rule: RuleSpec): string[] {
  const position = operation === '-I' ? ['1'] : [];
  return ['-t', rule.table, operation, rule.chain, ...position, ...rule.args, '-m', 'comment', '--comment', ruleComment];
}

export async function insertRule(pid: number, rule: RuleSpec): Promise<void> {
  await iptablesInNamespace(pid, ruleArguments('-I', rule));
}

/** Deletes a rule; a namespace that no longer exists holds no rules, so that is not an error. */
export async function deleteRule(pid: number, rule: RuleSpec): Promise<void> {
  if (!namespaceExists(pid)) return;
  try {
    await iptablesInNamespace(pid, ruleArguments('-D', rule));
  } catch (error) {
    if (namespaceExists(pid)) throw error;
  }
}

/** Every rule this platform installed in a namespace (by its comment), as `iptables-save` prints it. */
export async function listPlatformRules(pid: number): Promise<string[]> {
  const result = await execa('nsenter', ['-t', String(pid), '-n', 'iptables-save'], { reject: false, timeout: 30_000 });
  if (result.exitCode !== 0) throw new Error(`nsenter -t ${pid} -n iptables-save failed: ${result.stderr.trim()}`);
  return result.stdout.split('\n').filter((line) => line.includes(ruleComment));
}
