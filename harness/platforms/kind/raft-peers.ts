// RAFT_PEERS for a StatefulSet: every pod by its stable DNS name behind the headless service.

export function statefulSetPodNames(statefulSetName: string, replicas: number): string[] {
  return Array.from({ length: replicas }, (_, ordinal) => `${statefulSetName}-${ordinal}`);
}

export function statefulSetPeers(options: {
  statefulSetName: string;
  serviceName: string;
  namespace: string;
  replicas: number;
  peerPort: number;
}): string {
  return statefulSetPodNames(options.statefulSetName, options.replicas)
    .map((pod) => `${pod}=${pod}.${options.serviceName}.${options.namespace}.svc.cluster.local:${options.peerPort}`)
    .join(',');
}
