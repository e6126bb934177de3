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
  /** The ConfigMap with one `<pod>.env` file per pod: RAFT_PEERS, RAFT_MEMBERS, RAFT_JOIN. */
  membershipConfigMap: 'raft-membership',
  /** Where that ConfigMap is mounted in each pod; the server reads `$(RAFT_ID).env` there. */
  membershipMountPath: '/etc/raft-membership',
  fieldManager: 'raft-chaos-harness',
  appSelector: 'app.kubernetes.io/name=raft',
} as const;

export type KindSettings = typeof kindSettings;
