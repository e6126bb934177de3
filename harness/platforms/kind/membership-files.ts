// Pure: the contents of the membership ConfigMap. A StatefulSet gives every pod the same
// environment, so each pod's membership variables live in a file of its own, `<pod>.env`, that
// the server reads at start (`node --env-file=…/$(RAFT_ID).env`): RAFT_PEERS (the launch pods
// and the spares), RAFT_MEMBERS (the launch voters) and RAFT_JOIN (true for a pod launched to
// join, or started again on an empty claim after it was removed).

import { kindSettings } from './kind-settings.js';
import { statefulSetPeerAddress } from './raft-peers.js';

export interface MembershipLayout {
  /** Every pod that has or may get an address: the launch pods, then the spares, by ordinal. */
  peers: readonly string[];
  /** RAFT_MEMBERS: the launch configuration's voters. */
  launchMembers: readonly string[];
  /** The pods that start with RAFT_JOIN=true. */
  joining: ReadonlySet<string>;
}

/** Where peers reach a pod of the raft StatefulSet in `namespace`. */
export function podPeerAddress(pod: string, namespace: string = kindSettings.namespace): string {
  return statefulSetPeerAddress(pod, { serviceName: kindSettings.serviceName, namespace, peerPort: kindSettings.peerPort });
}

/** The ConfigMap's `data`: one `<pod>.env` per peer. */
export function membershipFiles(layout: MembershipLayout, namespace: string = kindSettings.namespace): Record<string, string> {
  const peers = layout.peers.map((pod) => `${pod}=${podPeerAddress(pod, namespace)}`).join(',');
  const members = layout.launchMembers.join(',');
  return Object.fromEntries(
    layout.peers.map((pod) => [`${pod}.env`, `RAFT_PEERS=${peers}\nRAFT_MEMBERS=${members}\nRAFT_JOIN=${layout.joining.has(pod)}\n`]),
  );
}
