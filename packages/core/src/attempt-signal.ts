/** The signal one attempt runs under: the caller's signal and the attempt's own timeout, combined. */
export interface AttemptSignal {
  signal: AbortSignal;
  /** True once the timeout (not the caller) ended the attempt. */
  readonly timedOut: boolean;
  /** Stops the timeout and detaches from the caller's signal (the attempt failed or is over, its body read). */
  dispose(): void;
}

/**
 * A signal that aborts when `caller` does (with the caller's reason) or when
 * `timeoutMs` elapses (with `timeoutReason()`), whichever comes first. One
 * controller and one listener: `AbortSignal.any` and `AbortSignal.timeout` cost
 * several times as much per attempt (bench/RESULTS.md, section 3b).
 */
export function attemptSignal(caller: AbortSignal | undefined, timeoutMs: number, timeoutReason: () => unknown): AttemptSignal {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(timeoutReason());
  }, timeoutMs);
  let onAbort: (() => void) | undefined;
  if (caller !== undefined) {
    if (caller.aborted) controller.abort(caller.reason);
    else {
      onAbort = () => controller.abort(caller.reason);
      caller.addEventListener("abort", onAbort, { once: true });
    }
  }
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    dispose() {
      clearTimeout(timer);
      if (onAbort !== undefined) caller?.removeEventListener("abort", onAbort);
    },
  };
}
