// Pure: the bytes of a container's stdout and stderr, from the multiplexed stream the Docker API
// returns for containers without a TTY (8-byte frame headers: stream, 0, 0, 0, big-endian size).

export function demuxDockerLog(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= raw.length) {
    const streamType = raw[offset];
    const size = raw.readUInt32BE(offset + 4);
    if (streamType === undefined || streamType > 2 || raw[offset + 1] !== 0 || offset + 8 + size > raw.length) {
      // Not a frame header: the daemon sent plain bytes (TTY container); keep the rest as it is.
      parts.push(raw.subarray(offset));
      return Buffer.concat(parts);
    }
    parts.push(raw.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  if (offset < raw.length) parts.push(raw.subarray(offset));
  return Buffer.concat(parts);
}
