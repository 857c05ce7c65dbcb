/** Resolves when the process is asked to stop; a second SIGINT or SIGTERM while it finishes ends it at once. */
export function untilStopped(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let asked = false;
    const stop = (signal: NodeJS.Signals) => {
      if (asked) process.exit(signal === 'SIGINT' ? 130 : 143);
      asked = true;
      resolve(signal);
    };
    // Kept for the life of the process, not `once`: signal-exit (loaded by proper-lockfile with the
    // first token refresh) re-sends a signal it finds no other listener for, which would end the
    // process before open requests finish and statistics are saved.
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
