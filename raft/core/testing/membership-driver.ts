// The simulation's membership clients: two of them, each with one `add-member` or
// `remove-member` in flight, sent to the current leader. They grow the cluster with spare or
// removed nodes (sometimes wiping a node whose removal was acknowledged first, as a replaced
// machine), and shrink it, the leader included, keeping at least two voters. Acknowledged
// changes go to the safety checker like acknowledged writes.
import type { Response } from '../../protocol/registry.js';
import type { NodeId } from '../types.js';
import type { SeededRandom } from './seeded-random.js';
import type { SimCluster, SimRequest } from './sim-cluster.js';

interface MembershipOperation {
  ref: number;
  request: Extract<SimRequest, { op: 'add-member' | 'remove-member' }>;
  sentStep: number;
}

export interface MembershipStats {
  membershipChangesAcknowledged: number;
  wipes: number;
}

/** Steps a membership client waits for an answer before giving up on it. */
const patienceSteps = 600;
const clientCount = 2;
const minimumVoters = 2;

export class MembershipDriver {
  readonly stats: MembershipStats = { membershipChangesAcknowledged: 0, wipes: 0 };
  private readonly clients: Array<MembershipOperation | null> = Array.from({ length: clientCount }, () => null);
  private readonly byRef = new Map<number, number>();
  /** Nodes whose removal was acknowledged and that no add has been sent for since: safe to wipe. */
  private readonly removed = new Set<NodeId>();

  constructor(
    private readonly cluster: SimCluster,
    private readonly random: SeededRandom,
    private readonly note: (line: string) => void,
  ) {}

  /** Start a change from an idle client, sometimes one from each at once. */
  act(step: number): void {
    this.startOne(step);
    if (this.random.chance(0.3)) this.startOne(step);
  }

  private startOne(step: number): void {
    const slot = this.clients.findIndex((operation) => operation === null);
    const leader = this.cluster.leaders()[0];
    if (slot < 0 || leader === undefined) return;
    const members = this.cluster.status(leader).members ?? [];
    const voters = members.filter((member) => member.role === 'voter').map((member) => member.id);
    const outside = this.cluster.ids.filter((id) => !members.some((member) => member.id === id));
    const grow = outside.length > 0 && (voters.length <= minimumVoters || this.random.chance(0.5));
    const request = grow ? this.addRequest(step, outside) : this.removeRequest(leader, voters);
    if (request === null) return;
    const ref = this.cluster.nextRequestRef();
    this.clients[slot] = { ref, request, sentStep: step };
    this.byRef.set(ref, slot);
    this.note(`step ${step}: membership -> ${leader} #${ref} ${JSON.stringify(request)}`);
    this.cluster.request(leader, request);
  }

  /** A reply to one of ours; returns whether it was one. */
  onReply(node: NodeId, ref: number, response: Response): boolean {
    const slot = this.byRef.get(ref);
    if (slot === undefined) return false;
    this.byRef.delete(ref);
    const operation = this.clients[slot]!;
    this.clients[slot] = null;
    this.note(`  ${node} answers membership #${ref} ${JSON.stringify(response)}`);
    const target = operation.request.node;
    if (response.ok && response.index !== undefined && response.term !== undefined) {
      this.stats.membershipChangesAcknowledged += 1;
      this.cluster.checker.entryAcknowledged(node, response.index, response.term);
    }
    if (operation.request.op === 'remove-member' && response.ok) this.removed.add(target);
    if (operation.request.op === 'add-member' && (response.ok || !definiteFailure(response))) this.removed.delete(target);
    return true;
  }

  expire(step: number): void {
    this.clients.forEach((operation, slot) => {
      if (operation === null || step - operation.sentStep < patienceSteps) return;
      this.byRef.delete(operation.ref);
      this.clients[slot] = null;
    });
  }

  private addRequest(step: number, outside: NodeId[]): MembershipOperation['request'] | null {
    const node = this.random.pick(outside);
    const inFlight = this.clients.some((operation) => operation?.request.node === node);
    if (this.removed.has(node) && !inFlight && this.random.chance(0.5)) {
      this.cluster.wipe(node);
      this.stats.wipes += 1;
      this.note(`step ${step}: wipe ${node}`);
    }
    this.removed.delete(node);
    return { op: 'add-member', node, address: `${node}:7000` };
  }

  private removeRequest(leader: NodeId, voters: NodeId[]): MembershipOperation['request'] | null {
    if (voters.length <= minimumVoters) return null;
    const node = voters.includes(leader) && this.random.chance(0.4) ? leader : this.random.pick(voters);
    return { op: 'remove-member', node };
  }
}

function definiteFailure(response: Response): boolean {
  return !response.ok && (response.error === 'not_leader' || response.error === 'bad_request');
}
