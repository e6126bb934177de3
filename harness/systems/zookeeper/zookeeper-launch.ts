// The launch recipe of a ZooKeeper 3.8 node (Debian's package): zoo.cfg and myid in the node's
// data directory, and java running QuorumPeerMain in the foreground with the classpath
// zkEnv.sh builds (/etc/zookeeper/conf and zookeeper.jar, whose manifest names its
// dependencies in /usr/share/java) plus slf4j-simple, so the node logs to its output.
// A ZooKeeper server listens on two peer ports (followers to the leader, leader election): the
// peer port, and the election port next to it on the node's own loopback address.

import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ImageContents, NodeLaunch, NodeLaunchContext, NodePlacement } from '../system.js';

export const javaBinary = '/usr/bin/java';
export const zookeeperJar = '/usr/share/java/zookeeper.jar';
export const zookeeperClasspath = ['/etc/zookeeper/conf', zookeeperJar, '/usr/share/java/slf4j-simple.jar'];
/** The four-letter words the status probe uses. */
export const zookeeperFourLetterWords = ['srvr', 'mntr', 'ruok'];

/**
 * Pure: the election port of a node, next to its peer port and never its client port. Each
 * node of an address-mode system has a loopback address of its own, so only the node's own
 * ports can be in the way.
 */
export function electionPort(placement: Pick<NodePlacement, 'clientPort' | 'peerPort'>): number {
  const step = placement.peerPort < 65_535 ? 1 : -1;
  const next = placement.peerPort + step;
  return next === placement.clientPort ? next + step : next;
}

function serverLine(placement: NodePlacement, peerAddress: string): string {
  const host = peerAddress.slice(0, peerAddress.lastIndexOf(':'));
  const peerPort = peerAddress.slice(peerAddress.lastIndexOf(':') + 1);
  return `server.${placement.index + 1}=${host}:${peerPort}:${electionPort(placement)}`;
}

/** zoo_sample.cfg's timing, the node's own ports, the 4lw the probe needs, no AdminServer. */
export function zookeeperConfiguration(context: NodeLaunchContext): string {
  const { self } = context;
  const servers = context.nodes.map((placement) =>
    serverLine(placement, placement.node === self.node ? `${self.host}:${self.peerPort}` : context.peerAddress(placement.node)),
  );
  return [
    'tickTime=2000',
    'initLimit=10',
    'syncLimit=5',
    `dataDir=${context.dataDir}`,
    `clientPort=${self.clientPort}`,
    `clientPortAddress=${self.listenHost}`,
    ...(self.listenHost === self.host ? [] : ['quorumListenOnAllIPs=true']),
    'admin.enableServer=false',
    `4lw.commands.whitelist=${zookeeperFourLetterWords.join(',')}`,
    ...servers,
    '',
  ].join('\n');
}

export function zookeeperLaunch(context: NodeLaunchContext): NodeLaunch {
  return {
    file: javaBinary,
    arguments: [
      '-Xmx256m',
      `-Dzookeeper.log.dir=${context.dataDir}`,
      '-Dorg.slf4j.simpleLogger.showDateTime=true',
      "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSZ",
      '-cp',
      zookeeperClasspath.join(':'),
      'org.apache.zookeeper.server.quorum.QuorumPeerMain',
      join(context.dataDir, 'zoo.cfg'),
    ],
    shell: false,
    environment: {},
    files: { 'zoo.cfg': zookeeperConfiguration(context), myid: `${context.self.index + 1}\n` },
  };
}

/** The shared objects of the JRE a headless server loads at run time (through dlopen, so ldd of java does not list them). */
const jreLibraries = ['server/libjvm.so', 'libjava.so', 'libjimage.so', 'libjsig.so', 'libnet.so', 'libnio.so', 'libzip.so', 'libverify.so', 'libextnet.so', 'libmanagement.so', 'libmanagement_ext.so'];

/**
 * The docker image's contents besides java and its libraries: the JRE java belongs to (its lib
 * and conf, without the compiler's ct.sym), the jars of /usr/share/java (zookeeper.jar's
 * manifest names its dependencies there) and /etc/zookeeper/conf, the classpath's first entry.
 */
export function zookeeperImageContents(): ImageContents {
  const javaHome = dirname(dirname(realpathSync(javaBinary)));
  const jreLibrary = join(javaHome, 'lib');
  return {
    executable: javaBinary,
    paths: [jreLibrary, join(javaHome, 'conf'), join(javaHome, 'release'), '/usr/share/java', zookeeperClasspath[0]!],
    exclude: [join(jreLibrary, 'ct.sym'), join(jreLibrary, 'src.zip')],
    libraries: jreLibraries.map((library) => join(jreLibrary, library)),
    libraryPath: [jreLibrary, join(jreLibrary, 'server')],
  };
}
