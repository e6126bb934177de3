// The line bench/report-resource-usage.ts writes on stderr at exit, and its reading.

export interface ResourceUsageLine {
  maxRssKb: number;
  userS: number;
  systemS: number;
}

const prefix = 'resource-usage ';

export function formatResourceUsageLine(usage: ResourceUsageLine): string {
  return `${prefix}${JSON.stringify(usage)}`;
}

/** The usage reported in `stderr`, or null when the process wrote none (it was killed). */
export function findResourceUsageLine(stderr: string): ResourceUsageLine | null {
  const line = stderr.split('\n').find((text) => text.startsWith(prefix));
  return line === undefined ? null : (JSON.parse(line.slice(prefix.length)) as ResourceUsageLine);
}
