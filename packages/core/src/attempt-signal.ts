/**
 * What core's own exchange and waits need of a signal: its state and its abort listeners. A real
 * `AbortSignal` is one; so is an attempt's `light` view, which costs no `AbortController`.
 */
export interface SignalLike {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/** The signal one attempt runs under: the caller's signal and the attempt's own timeout, combined. */
export interface AttemptSignal {
  /** A real `AbortSignal` in the same state, made on first use (for a `fetch` or a credential provider). */
  readonly signal: AbortSignal;
  /** The same state without an `AbortSignal` behind it, for core's own exchange and waits. */
  readonly light: SignalLike;
  /** True once the timeout (not the caller) ended the attempt. */
  readonly timedOut: boolean;
  /** Stops the timeout and detaches from the caller's signal (the attempt failed or is over, its body read). */
  dispose(): void;
}

/**
 * An attempt's abort state. On Node 20 an `AbortController`'s signal and its listeners cost a call
 * on core's Node transport about a tenth of its CPU (sequential token calls side by side: 431 µs
 * per call without, 486 µs with), so one is made only when something needs a real `AbortSignal`:
 * a `fetch` or a provider. Core's own exchange listens to `light`.
 */
class Attempt implements AttemptSignal, SignalLike {
  aborted = false;
  reason: unknown;
  timedOut = false;
  #listeners: (() => void)[] = [];
  #controller: AbortController | undefined;
  #dispose: () => void = () => {};

  get light(): SignalLike {
    return this;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.aborted) this.#controller.abort(this.reason);
    }
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.#controller?.abort(reason);
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener();
  }

  addEventListener(_type: "abort", listener: () => void): void {
    if (!this.aborted) this.#listeners.push(listener);
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    const index = this.#listeners.indexOf(listener);
    if (index !== -1) this.#listeners.splice(index, 1);
  }

  dispose(): void {
    this.#dispose();
  }

  start(caller: AbortSignal | undefined, timeoutMs: number, timeoutReason: () => unknown): void {
    const timer = setTimeout(() => {
      this.timedOut = true;
      this.abort(timeoutReason());
    }, timeoutMs);
    if (caller === undefined) {
      this.#dispose = () => clearTimeout(timer);
      return;
    }
    if (caller.aborted) this.abort(caller.reason);
    const onAbort = () => this.abort(caller.reason);
    caller.addEventListener("abort", onAbort, { once: true });
    this.#dispose = () => {
      clearTimeout(timer);
      caller.removeEventListener("abort", onAbort);
    };
  }
}

/**
 * A signal that aborts when `caller` does (with the caller's reason) or when
 * `timeoutMs` elapses (with `timeoutReason()`), whichever comes first. One
 * timer and at most one listener on the caller: `AbortSignal.any` and
 * `AbortSignal.timeout` cost several times as much per attempt (bench/RESULTS.md, section 3b).
 */
export function attemptSignal(caller: AbortSignal | undefined, timeoutMs: number, timeoutReason: () => unknown): AttemptSignal {
  const attempt = new Attempt();
  attempt.start(caller, timeoutMs, timeoutReason);
  return attempt;
}
