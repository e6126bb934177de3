// Colours for the console: off when NO_COLOR is set or the stream is not a terminal.

import { Chalk, supportsColor, type ChalkInstance } from 'chalk';

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export function terminalStyle(stream: OutputStream, environment: NodeJS.ProcessEnv = process.env): ChalkInstance {
  const noColor = environment.NO_COLOR !== undefined && environment.NO_COLOR !== '';
  const forced = environment.FORCE_COLOR !== undefined && environment.FORCE_COLOR !== '0';
  if (noColor || (stream.isTTY !== true && !forced)) return new Chalk({ level: 0 });
  const level = supportsColor === false ? 1 : supportsColor.level;
  return new Chalk({ level });
}
