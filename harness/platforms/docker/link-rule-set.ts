// The iptables rules installed in the nodes' network namespaces, tracked so that applying a
// new plan changes only what differs and healing removes every rule that was installed.

import { deleteRule, insertRule } from './netns-iptables.js';
import { ruleKey, type RuleSpec } from './link-rules.js';

interface InstalledRules {
  /** The process whose network namespace holds the rules. */
  pid: number;
  rules: Map<string, RuleSpec>;
}

export class LinkRuleSet {
  private readonly installed = new Map<string, InstalledRules>();

  /**
   * Makes each node's rules equal the plan. `pids` gives each node's current server process
   * (undefined while it is down); rules in a namespace that was replaced are gone with it.
   */
  async apply(plan: ReadonlyMap<string, RuleSpec[]>, pids: ReadonlyMap<string, number | undefined>): Promise<void> {
    const nodes = new Set([...plan.keys(), ...this.installed.keys()]);
    for (const node of nodes) {
      await this.applyNode(node, plan.get(node) ?? [], pids.get(node));
    }
  }

  private async applyNode(node: string, wanted: RuleSpec[], pid: number | undefined): Promise<void> {
    let current = this.installed.get(node);
    if (current !== undefined && current.pid !== pid) {
      this.installed.delete(node);
      current = undefined;
    }
    if (pid === undefined) return;
    const record = current ?? { pid, rules: new Map<string, RuleSpec>() };
    this.installed.set(node, record);
    const wantedKeys = new Set(wanted.map(ruleKey));
    for (const [key, rule] of [...record.rules]) {
      if (wantedKeys.has(key)) continue;
      await deleteRule(pid, rule);
      record.rules.delete(key);
    }
    for (const rule of wanted) {
      const key = ruleKey(rule);
      if (record.rules.has(key)) continue;
      await insertRule(pid, rule);
      record.rules.set(key, rule);
    }
    if (record.rules.size === 0) this.installed.delete(node);
  }

  /** Removes every installed rule. */
  async clear(): Promise<void> {
    const pids = new Map([...this.installed].map(([node, record]) => [node, record.pid]));
    await this.apply(new Map(), pids);
  }

  /** `node: rule` for every rule currently installed. */
  describe(): string[] {
    return [...this.installed].flatMap(([node, record]) => [...record.rules.keys()].map((key) => `${node}: ${key}`));
  }
}
