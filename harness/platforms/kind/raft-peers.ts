// RAFT_PEERS for a StatefulSet: every pod by its stable DNS name behind the headless service.

export interface StatefulSetAddressing {
  statefulSetName: string;
  serviceName: string;
  namespace: string;
  peerPort: number;
}

export function statefulSetPodNames(statefulSetName: string, replicas: number): string[] {
  return Array.from({ length: replicas }, (_, ordinal) => `${statefulSetName}-${ordinal}`);
}

/** Where peers reach one pod: its DNS name behind the headless service, and the peer port. */
export function statefulSetPeerAddress(pod: string, addressing: Omit<StatefulSetAddressing, 'statefulSetName'>): string {
  return `${pod}.${addressing.serviceName}.${addressing.namespace}.svc.cluster.local:${addressing.peerPort}`;
}

export function statefulSetPeers(options: StatefulSetAddressing & { replicas: number }): string {
  return statefulSetPodNames(options.statefulSetName, options.replicas)
    .map((pod) => `${pod}=${statefulSetPeerAddress(pod, options)}`)
    .join(',');
}
