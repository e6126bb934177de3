// Pure: which files the dynamic loader maps for a binary, from the text `ldd <binary>` prints.

/**
 * Returns the absolute paths ldd lists (libraries and the loader itself), skipping the vDSO.
 * Throws when a library is `not found`, since the image would not start without it.
 */
export function parseLddOutput(text: string, binary: string): string[] {
  const paths: string[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line.length === 0 || line.startsWith('linux-vdso') || line.startsWith('linux-gate')) continue;
    if (line.includes('=> not found')) {
      throw new Error(`ldd ${binary}: ${line}; install that library on this machine, then build the image again`);
    }
    const arrow = /=>\s+(\/\S+)/.exec(line);
    const direct = /^(\/\S+)/.exec(line);
    const path = arrow?.[1] ?? direct?.[1];
    if (path !== undefined && !paths.includes(path)) paths.push(path);
  }
  return paths;
}
