/** The signal one attempt runs under: the caller's signal and the attempt's own timeout, combined. */
export interface AttemptSignal {
  signal: AbortSignal;
  /** True once the timeout (not the caller) ended the attempt. */
  readonly timedOut: boolean;
  /** Stops the timeout and detaches from the caller's signal (the attempt failed or is over, its body read). */
  dispose(): void;
}

/** Combines signals with `AbortSignal.any` where the runtime has it (Node 20.3+), else by hand. */
function anySignal(signals: readonly AbortSignal[]): { signal: AbortSignal; detach: () => void } {
  const native = (AbortSignal as { any?: (signals: AbortSignal[]) => AbortSignal }).any;
  if (typeof native === "function") return { signal: native.call(AbortSignal, [...signals]), detach: () => {} };
  const controller = new AbortController();
  const listeners: Array<[AbortSignal, () => void]> = [];
  const detach = () => {
    for (const [signal, listener] of listeners) signal.removeEventListener("abort", listener);
  };
  for (const signal of signals) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      return { signal: controller.signal, detach };
    }
    const listener = () => {
      detach();
      controller.abort(signal.reason);
    };
    listeners.push([signal, listener]);
    signal.addEventListener("abort", listener, { once: true });
  }
  return { signal: controller.signal, detach };
}

/**
 * A signal that aborts when `caller` does (with the caller's reason) or when
 * `timeoutMs` elapses (with `timeoutReason()`), whichever comes first.
 */
export function attemptSignal(caller: AbortSignal | undefined, timeoutMs: number, timeoutReason: () => unknown): AttemptSignal {
  const timeout = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    timeout.abort(timeoutReason());
  }, timeoutMs);
  const combined = caller === undefined ? { signal: timeout.signal, detach: () => {} } : anySignal([caller, timeout.signal]);
  return {
    signal: combined.signal,
    get timedOut() {
      return timedOut;
    },
    dispose() {
      clearTimeout(timer);
      combined.detach();
    },
  };
}
