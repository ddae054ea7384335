import { afterEach, describe, expect, it, vi } from "vitest";
import { attemptSignal } from "../src/attempt-signal.js";

describe("attemptSignal", () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const setup = () => {
    vi.useFakeTimers();
  };

  it("aborts with the timeout's reason once timeoutMs elapses", () => {
    setup();
    const caller = new AbortController();
    const reason = new Error("timed out");
    const attempt = attemptSignal(caller.signal, 1000, () => reason);
    vi.advanceTimersByTime(999);
    expect(attempt.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.signal.reason).toBe(reason);
    expect(attempt.timedOut).toBe(true);
    expect(caller.signal.aborted).toBe(false);
  });

  it("aborts with the caller's reason when the caller aborts first", () => {
    setup();
    const caller = new AbortController();
    const attempt = attemptSignal(caller.signal, 1000, () => new Error("timed out"));
    const reason = new Error("cancelled");
    caller.abort(reason);
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.signal.reason).toBe(reason);
    expect(attempt.timedOut).toBe(false);
  });

  it("starts aborted when the caller already is", () => {
    setup();
    const attempt = attemptSignal(AbortSignal.abort("gone"), 1000, () => "timeout");
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.signal.reason).toBe("gone");
  });

  it("stops the timeout once disposed", () => {
    setup();
    const attempt = attemptSignal(undefined, 1000, () => "timeout");
    attempt.dispose();
    vi.advanceTimersByTime(5000);
    expect(attempt.signal.aborted).toBe(false);
    expect(attempt.timedOut).toBe(false);
  });

  it("tells the light view's listeners once, and its state matches the real signal's, made before or after the abort", () => {
    setup();
    const caller = new AbortController();
    const attempt = attemptSignal(caller.signal, 1000, () => "timeout");
    const early = attempt.signal;
    const heard: string[] = [];
    const removed = () => heard.push("removed");
    attempt.light.addEventListener("abort", () => heard.push(String(attempt.light.reason)), { once: true });
    attempt.light.addEventListener("abort", removed);
    attempt.light.removeEventListener("abort", removed);
    caller.abort("stop");
    vi.advanceTimersByTime(5000);
    expect(heard).toEqual(["stop"]);
    expect([attempt.light.aborted, early.aborted, early.reason]).toEqual([true, true, "stop"]);
    const late = attemptSignal(undefined, 10, () => "timeout");
    vi.advanceTimersByTime(10);
    expect([late.signal.aborted, late.signal.reason, late.timedOut]).toEqual([true, "timeout", true]);
  });

  it("lets go of the caller's signal once disposed: a later abort no longer reaches the attempt", () => {
    setup();
    const caller = new AbortController();
    const attempt = attemptSignal(caller.signal, 1000, () => "timeout");
    attempt.dispose();
    caller.abort("late");
    expect(attempt.signal.aborted).toBe(false);
  });
});
