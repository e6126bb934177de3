// One abort signal for a scenario: fires on the caller's signal (Ctrl-C) or at the plan's time
// limit, and says which.

export interface AbortScope {
  readonly signal: AbortSignal;
  /** Why the scope aborted, once it has. */
  readonly reason: 'interrupted' | 'time-limit' | undefined;
  dispose(): void;
}

export function createAbortScope(outer: AbortSignal, timeLimitMs: number): AbortScope {
  const controller = new AbortController();
  let reason: AbortScope['reason'];
  const onOuterAbort = () => {
    reason ??= 'interrupted';
    controller.abort();
  };
  if (outer.aborted) onOuterAbort();
  else outer.addEventListener('abort', onOuterAbort, { once: true });
  const timer = setTimeout(() => {
    reason ??= 'time-limit';
    controller.abort();
  }, timeLimitMs);
  timer.unref();
  return {
    signal: controller.signal,
    get reason() {
      return reason;
    },
    dispose() {
      clearTimeout(timer);
      outer.removeEventListener('abort', onOuterAbort);
    },
  };
}
