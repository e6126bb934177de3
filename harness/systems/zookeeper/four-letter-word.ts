// Sends one ZooKeeper four-letter word (`srvr`, `mntr`, …) to a server's client port and
// returns everything it answers before closing the connection, within a deadline.

import { connect } from 'node:net';

export function askFourLetterWord(address: string, word: string, timeoutMs: number): Promise<string> {
  const separator = address.lastIndexOf(':');
  const host = address.slice(0, separator);
  const port = Number(address.slice(separator + 1));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host, port }, () => socket.end(word));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`zookeeper ${address} did not answer \`${word}\` within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`zookeeper ${address} \`${word}\`: ${error.message}`));
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}
