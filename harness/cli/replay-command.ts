// The exact command that replays one scenario: `npx harness run <name> --seed <n> --platform <p>`
// plus the flags that changed the plan.

export interface ReplayFlags {
  seed: number;
  platform: string;
  serverCommand?: string;
  system?: string;
  replicas?: number;
  durationScale?: number;
  /** Set when the scenarios came from a directory other than the project's `scenarios/`. */
  scenariosDir?: string;
}

export function replayCommand(scenario: string, flags: ReplayFlags): string {
  const words = ['npx', 'harness', 'run', shellQuote(scenario), '--seed', String(flags.seed), '--platform', flags.platform];
  if (flags.serverCommand !== undefined) words.push('--server-cmd', shellQuote(flags.serverCommand));
  if (flags.system !== undefined) words.push('--system', shellQuote(flags.system));
  if (flags.replicas !== undefined) words.push('--replicas', String(flags.replicas));
  if (flags.durationScale !== undefined && flags.durationScale !== 1) words.push('--duration-scale', String(flags.durationScale));
  if (flags.scenariosDir !== undefined) words.push('--scenarios', shellQuote(flags.scenariosDir));
  return words.join(' ');
}

/** Quotes a word for a POSIX shell when it holds anything beyond plain characters. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
