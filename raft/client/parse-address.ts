/** Splits `host:port` (or `[v6]:port`) into its parts; throws on anything else. */
export function parseAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const port = Number(address.slice(colon + 1));
  if (colon <= 0 || host === '' || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`node address "${address}": expected host:port with a port in 1..65535, e.g. 127.0.0.1:7001`);
  }
  return { host, port };
}
