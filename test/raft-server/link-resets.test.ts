import t from 'tap';
import { LinkProxy } from './link-proxy.js';
import { TestCluster, until } from './test-cluster.js';

t.test('peer links that are reset over and over reconnect, and the cluster keeps serving', async (t) => {
  const cluster = await TestCluster.create(t, 3, {}, { separatePeerPorts: true });
  const proxies: LinkProxy[] = [];
  t.teardown(async () => {
    for (const proxy of proxies) await proxy.close();
  });
  for (const from of cluster.nodes) {
    for (const to of cluster.nodes) {
      if (from === to) continue;
      const proxy = await LinkProxy.start(cluster.peerPorts.get(to)!);
      proxies.push(proxy);
      cluster.linkPorts.set(`${from}->${to}`, proxy.port);
    }
  }
  await cluster.startAll();
  await cluster.waitForLeader();
  await until('every link to carry a connection', 20_000, async () => (proxies.every((proxy) => proxy.connections > 0) ? true : undefined));

  let resetting = true;
  const resetter = (async () => {
    while (resetting) {
      for (const proxy of proxies) proxy.resetAll();
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  })();
  try {
    for (let index = 0; index < 15; index += 1) {
      const reply = await cluster.viaLeader({ op: 'put', key: 'k', value: `v${index}` }, 60_000);
      t.equal(reply.ok, true, `put ${index} acknowledged while links are being reset`);
    }
  } finally {
    resetting = false;
    await resetter;
  }
  t.ok(proxies.reduce((sum, proxy) => sum + proxy.resets, 0) > proxies.length, 'connections really were reset');
  t.equal((await cluster.viaLeader({ op: 'get', key: 'k' })).value, 'v14');
  const leader = await cluster.waitForLeader();
  const commitIndex = (await cluster.call(leader, { op: 'status' })).commitIndex as number;
  for (const node of cluster.nodes) {
    await until(`${node} to apply ${commitIndex}`, 30_000, async () => (((await cluster.call(node, { op: 'status' }, 2000)).lastApplied as number) >= commitIndex ? true : undefined));
  }
  t.ok(cluster.nodes.some((node) => cluster.events(node, 'peer-disconnected').length > 0), 'the nodes logged the lost links');
  t.same(cluster.termsWithTwoLeaders(), []);
});
