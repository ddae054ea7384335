import { afterEach, beforeEach, expect, type MockInstance, vi } from "vitest";

// The library prints nothing by itself: every test fails if anything reaches stdout, stderr or the console.
let spies: Array<[string, MockInstance]> = [];

beforeEach(() => {
  spies = [
    ["process.stdout.write", vi.spyOn(process.stdout, "write")],
    ["process.stderr.write", vi.spyOn(process.stderr, "write")],
    ...(["log", "info", "warn", "error", "debug", "trace"] as const).map((method): [string, MockInstance] => [
      `console.${method}`,
      vi.spyOn(console, method),
    ]),
  ];
});

afterEach(() => {
  for (const [name, spy] of spies) {
    expect(spy.mock.calls, `${name} was called`).toEqual([]);
    spy.mockRestore();
  }
});
