// A wrong scenario file or command line: printed as is, exit status 2, nothing started.

export class UsageError extends Error {
  readonly exitCode = 2;

  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The platform could not be loaded, set up or swept: exit status 3. */
export class PlatformError extends Error {
  readonly exitCode = 3;

  constructor(message: string) {
    super(message);
    this.name = 'PlatformError';
  }
}
