// The link faults of one docker cluster: the wanted cuts and shaping, the delay proxies, and
// the iptables rules that enforce them, recomputed whenever a node's address or container
// changes (a replaced container starts with a fresh network namespace).

import { linkRandom } from '../../platform/link-random.js';
import type { ClusterSpec, Link, LinkShape } from '../../platform/platform.js';
import { startDelayProxy, type DelayProxy } from './delay-proxy.js';
import { LinkRuleSet } from './link-rule-set.js';
import { linkKey, planLinkRules, type LinkFaults, type ProxyAddress } from './link-rules.js';
import { peerPort } from './node-environment.js';

/** Where each node is now: its last known address, and its server pid while it is up. */
export interface NodePlacement {
  address?: string;
  pid?: number;
}

export class LinkFaultController {
  private readonly rules = new LinkRuleSet();
  private faults: LinkFaults = { cuts: [] };
  private proxies = new Map<string, DelayProxy>();
  private lock: Promise<void> = Promise.resolve();

  /**
   * `gateway`: the run network's gateway address, where delay proxies listen;
   * `placements`: reads the nodes' current placement; `spec`: its seed seeds the delay proxies' jitter.
   */
  constructor(
    private readonly gateway: string,
    private readonly placements: () => ReadonlyMap<string, NodePlacement>,
    private readonly spec: Pick<ClusterSpec, 'seed'>,
  ) {}

  async cut(links: Link[]): Promise<void> {
    this.faults = { ...this.faults, cuts: [...links] };
    await this.reconcile();
  }

  async shape(links: Link[], shape: LinkShape): Promise<void> {
    await this.closeProxies();
    if (shape.delayMs > 0 || shape.jitterMs > 0) {
      for (const link of links) this.proxies.set(linkKey(link), await this.startProxy(link, shape));
    }
    this.faults = { ...this.faults, shaping: links.length > 0 ? { links: [...links], shape } : undefined };
    await this.reconcile();
  }

  /** Removes every rule, then the proxies (their connections reset; nodes reconnect directly). */
  async heal(): Promise<void> {
    this.faults = { cuts: [] };
    try {
      await this.reconcile();
    } finally {
      await this.closeProxies();
    }
  }

  /** Every rule installed, as `node: table chain args`. */
  installedRules(): string[] {
    return this.rules.describe();
  }

  /** Makes the installed rules match the wanted faults for the nodes' current placement. */
  reconcile(): Promise<void> {
    const run = async (): Promise<void> => {
      const addresses = new Map<string, string>();
      const pids = new Map<string, number | undefined>();
      for (const [node, placement] of this.placements()) {
        if (placement.address !== undefined) addresses.set(node, placement.address);
        pids.set(node, placement.pid);
      }
      const proxies = new Map<string, ProxyAddress>([...this.proxies].map(([key, proxy]) => [key, { host: proxy.host, port: proxy.port }]));
      await this.rules.apply(planLinkRules(this.faults, addresses, proxies), pids);
    };
    const next = this.lock.then(run, run);
    this.lock = next.catch(() => undefined);
    return next;
  }

  private startProxy(link: Link, shape: LinkShape): Promise<DelayProxy> {
    return startDelayProxy({
      listenHost: this.gateway,
      target: () => {
        const host = this.placements().get(link.to)?.address;
        return host === undefined ? undefined : { host, port: peerPort };
      },
      delayMs: shape.delayMs,
      jitterMs: shape.jitterMs,
      random: linkRandom(this.spec, link),
    });
  }

  private async closeProxies(): Promise<void> {
    const proxies = [...this.proxies.values()];
    this.proxies = new Map();
    await Promise.all(proxies.map((proxy) => proxy.close()));
  }
}
