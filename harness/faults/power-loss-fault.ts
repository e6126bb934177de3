// power-loss: cut the targets' power. Each is SIGKILLed and loses every write its disk did not
// hold yet (what was not fsynced), as after a machine crash; the platform restarts it on what
// the disk kept after restartDelayMs. A correct server loses nothing it acknowledged; one that
// skips fsync (RAFT_BUG_NO_FSYNC) does.
// Evidence: each target's instance before, and at heal the new instance (it must differ); and
// per target the bytes of each data file before the crash and after the remount, which show
// what was lost. No term evidence: a power cut may rightly take a node's memory of the term
// with it (that is what it tests), so the term after says nothing about the fault's effect.

import type { PowerLossReport, StartedCluster } from '../platform/platform.js';
import { leaderOrRandomNode, once, type Fault } from './fault.js';
import { waitUntilBack } from './wait-until-back.js';

function totalBytes(files: Record<string, number>): number {
  return Object.values(files).reduce((total, bytes) => total + bytes, 0);
}

function cutPower(cluster: StartedCluster, node: string): Promise<PowerLossReport> {
  if (cluster.powerLoss === undefined) {
    return Promise.reject(new Error(`this platform cannot cut ${node}'s power (no powerLoss capability); the capability check should have rejected the scenario`));
  }
  return cluster.powerLoss(node);
}

export const powerLossFault: Fault<'power-loss'> = {
  kind: 'power-loss',
  needs: ['powerLoss'],
  defaultTarget: 'leader',
  nemesisTargets: leaderOrRandomNode,
  nemesisByDefault: false,
  async start(context, targets) {
    const before = await Promise.all(targets.map((node) => context.cluster.identity(node)));
    context.progress(`power-loss: cutting the power of ${targets.join(', ')}`);
    const reports = await Promise.all(targets.map((node) => cutPower(context.cluster, node)));
    const byNode = <T>(value: (report: PowerLossReport) => T) => Object.fromEntries(reports.map((report) => [report.node, value(report)]));
    return {
      kind: 'power-loss',
      targets,
      evidence: {
        instanceBefore: Object.fromEntries(before.map((identity) => [identity.node, identity.instance])),
        dataBytesBefore: byNode((report) => totalBytes(report.filesBefore)),
        dataBytesAfter: byNode((report) => totalBytes(report.filesAfter)),
        dataFilesBefore: byNode((report) => report.filesBefore),
        dataFilesAfter: byNode((report) => report.filesAfter),
      },
      heal: once(async () => {
        const after = await Promise.all(before.map((identity) => waitUntilBack(context, context.cluster, identity.node, identity.instance)));
        return { instanceAfter: Object.fromEntries(after.map((identity) => [identity.node, identity.instance])) };
      }),
    };
  },
};
