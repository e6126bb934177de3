// The labels every platform puts on what it creates (SPEC section 4), so teardown, sweep and
// `harness clean` find exactly that: containers, networks and volumes on docker, Kubernetes
// objects on kind.

/** Every object a platform creates carries this label. */
export const partOfLabel = 'app.kubernetes.io/part-of';
export const partOfValue = 'raft-chaos';
/** Which run created the object. */
export const runLabel = 'raft-chaos.run';
/** Which platform created it, so one platform's sweep leaves another's objects alone. */
export const platformLabel = 'raft-chaos.platform';
/** The node an object belongs to. */
export const nodeLabel = 'raft-chaos.node';
/** The harness process that started the run (see platforms/docker/harness-owner.ts): sweep keeps live runs. */
export const ownerLabel = 'raft-chaos.owner';
