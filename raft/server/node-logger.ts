// The node log: one JSON object per line on stdout, {"time":ISO,"node":…,"event":…,…fields}.

export type NodeLogger = (event: string, fields?: Record<string, unknown>) => void;

export function createNodeLogger(node: string, write: (line: string) => void = (line) => process.stdout.write(line)): NodeLogger {
  return (event, fields = {}) => {
    write(`${JSON.stringify({ time: new Date().toISOString(), node, event, ...fields })}\n`);
  };
}
