// What the supervisor says when a node fails: what happened, to which process, its last output
// lines and where the full log is, and what to do next.

/** An exit nobody asked for, with the evidence. */
export interface NodeCrash {
  node: string;
  pid: number;
  /** `exit code 1`, `signal SIGSEGV`. */
  exit: string;
  lastLines: string[];
  logPath: string;
  atMs: number;
}

function indented(lines: string[]): string {
  return lines.length === 0 ? '  (none)' : lines.map((line) => `  ${line}`).join('\n');
}

export function crashMessage(crash: NodeCrash): string {
  return (
    `${crash.node} (pid ${crash.pid}) exited unexpectedly (${crash.exit}); last output:\n` +
    `${indented(crash.lastLines)}\nfull log: ${crash.logPath}`
  );
}

export interface StartFailure {
  node: string;
  pid: number;
  command: string;
  /** `exited before listening`, `did not listen on … within … ms`. */
  what: string;
  lastLines: string[];
  logPath: string;
}

export function startFailureMessage(failure: StartFailure): string {
  return (
    `${failure.node} (pid ${failure.pid}, \`${failure.command}\`) ${failure.what}; last output:\n` +
    `${indented(failure.lastLines)}\n` +
    `full log: ${failure.logPath}; check the server command and the RAFT_* variables it reads`
  );
}

export function gaveUpMessage(node: string, crashes: number, logPath: string): string {
  return (
    `${node} crashed ${crashes} times in a row; not restarting it again ` +
    `(start it explicitly, or read ${logPath})`
  );
}
