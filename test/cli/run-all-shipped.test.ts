// `harness run all` on the local platform: every shipped scenario passes with the reference server,
// and power-loss, which needs root and loop devices, is skipped with its reason where they are missing.

import t from 'tap';
import { loopDisksUnavailableReason } from '../../harness/platforms/local/loop-disk-support.js';
import { runAllShipped } from './run-all-kit.js';

t.test('every shipped scenario passes on the local platform, or is skipped with the reason it cannot run here', async (t) => {
  const noLoopDisks = loopDisksUnavailableReason();
  const skips = noLoopDisks === undefined ? [] : [{ scenario: 'power-loss', reason: 'needs powerLoss, which the local platform lacks here' }];
  await runAllShipped(t, 'local', skips, 600_000);
});
