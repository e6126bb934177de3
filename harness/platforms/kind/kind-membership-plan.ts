// Pure: how a membership change maps onto a StatefulSet, which only grows and shrinks at its
// highest ordinal. Launching a pod beyond the current replicas scales up (pods in between start
// parked: RAFT_JOIN=true on an empty claim, in no configuration, not among the live nodes);
// launching one below starts it again on an empty claim. Removing the highest live pod scales
// down past it and any parked pods above; removing a lower one parks it: its pod comes back on
// an empty claim with RAFT_JOIN=true and waits, outside every configuration, until it is
// launched to join again or the run ends.

export type LaunchPlan =
  | { action: 'scale-up'; replicas: number; parked: string[] }
  | { action: 'recreate' };

export type RemovalPlan =
  | { action: 'scale-down'; replicas: number; gone: string[] }
  | { action: 'park' };

/** The ordinal of a pod of the StatefulSet `name`, e.g. 3 for raft-3; undefined for another name. */
export function podOrdinal(statefulSetName: string, pod: string): number | undefined {
  const match = new RegExp(`^${statefulSetName}-(0|[1-9][0-9]*)$`).exec(pod);
  return match === null ? undefined : Number(match[1]);
}

function podName(statefulSetName: string, ordinal: number): string {
  return `${statefulSetName}-${ordinal}`;
}

/** Launching `pod` (not live) to join, with `replicas` pods now. */
export function planLaunch(statefulSetName: string, pod: string, replicas: number): LaunchPlan {
  const ordinal = podOrdinal(statefulSetName, pod)!;
  if (ordinal < replicas) return { action: 'recreate' };
  const parked = [];
  for (let between = replicas; between < ordinal; between += 1) parked.push(podName(statefulSetName, between));
  return { action: 'scale-up', replicas: ordinal + 1, parked };
}

/** Removing live `pod`, with `replicas` pods now and `live` the live ones (`pod` included). */
export function planRemoval(statefulSetName: string, pod: string, replicas: number, live: readonly string[]): RemovalPlan {
  const remaining = live.filter((name) => name !== pod).map((name) => podOrdinal(statefulSetName, name)!);
  const keep = remaining.length === 0 ? 0 : Math.max(...remaining) + 1;
  if (podOrdinal(statefulSetName, pod)! < keep) return { action: 'park' };
  const gone = [];
  for (let ordinal = keep; ordinal < replicas; ordinal += 1) gone.push(podName(statefulSetName, ordinal));
  return { action: 'scale-down', replicas: keep, gone };
}
