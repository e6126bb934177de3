// Names shared by the kind platform, its manifests (manifests/) and its cluster config (kind/).

export const kindSettings = {
  clusterName: 'raft-chaos',
  namespace: 'raft-chaos',
  statefulSetName: 'raft',
  serviceName: 'raft',
  containerName: 'raft',
  imageName: 'raft-chaos-server',
  clientPort: 7000,
  peerPort: 7001,
  dataClaimTemplate: 'data',
  fieldManager: 'raft-chaos-harness',
  appSelector: 'app.kubernetes.io/name=raft',
} as const;

export type KindSettings = typeof kindSettings;
