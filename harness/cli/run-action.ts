// Runs a command's action and turns its outcome or error into the process's exit status. The
// error reporting is loaded only when there is an error to report.

export async function runAction(action: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (error) {
    const { commandErrorExitCode, describeCommandError } = await import('./command-error.js');
    process.stderr.write(`${describeCommandError(error)}\n`);
    process.exitCode = commandErrorExitCode(error);
  }
}
