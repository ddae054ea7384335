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

  it("lets go of the caller's signal once disposed: a later abort no longer reaches the attempt", () => {
    setup();
    const caller = new AbortController();
    const attempt = attemptSignal(caller.signal, 1000, () => "timeout");
    attempt.dispose();
    caller.abort("late");
    expect(attempt.signal.aborted).toBe(false);
  });
});
