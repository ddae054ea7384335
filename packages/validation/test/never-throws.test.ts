import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { covered, wellFormed } from "./support/validators.js";

/** Strings of arbitrary UTF-16 code units: lone surrogates included. */
const codeUnitStrings = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 80 });

const anything = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
});

/** Objects some of whose properties throw when read, under the names the schemas use and others. */
const throwingObjects = fc
  .record({
    keys: fc.uniqueArray(fc.constantFrom("project_id", "instance_id", "error", "error_code", "error_msg", "code", "x"), { minLength: 1 }),
    nested: fc.boolean(),
  })
  .map(({ keys, nested }) => {
    const target: Record<string, unknown> = {};
    for (const key of keys)
      Object.defineProperty(target, key, {
        enumerable: true,
        get() {
          throw new Error(`getter ${key} threw`);
        },
      });
    return nested ? { error: target, error_code: target } : target;
  });

/** Proxies whose traps throw (built fresh, since fast-check itself would trip over them as constants). */
function hostileProxies(): object[] {
  const trap = (name: string) => () => {
    throw new Error(`${name} trap`);
  };
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  return [
    new Proxy({}, { get: trap("get") }),
    new Proxy({}, { ownKeys: trap("ownKeys") }),
    new Proxy({}, { has: trap("has"), getPrototypeOf: trap("getPrototypeOf") }),
    new Proxy([], { get: trap("get") }),
    revocable.proxy,
  ];
}

const inputs = fc.oneof(
  anything,
  codeUnitStrings,
  throwingObjects,
  fc.record({ project_id: codeUnitStrings, instance_id: codeUnitStrings }),
);

describe("validators never throw", () => {
  it.each(covered)("validate$name, is$name and its Standard Schema return for any input", ({ validate, is, standard }) => {
    fc.assert(
      fc.property(inputs, codeUnitStrings, (value, path) => {
        const result = wellFormed(validate(value, path));
        expect(typeof is(value)).toBe("boolean");
        expect(is(value)).toBe(result.ok);
        const std = standard["~standard"].validate(value);
        expect(std instanceof Promise).toBe(false);
        expect("issues" in std && std.issues !== undefined).toBe(!result.ok);
      }),
      { numRuns: 300 },
    );
  });

  it.each(covered)("validate$name reports a proxy whose traps throw as unreadable", ({ validate, is, standard }) => {
    for (const proxy of hostileProxies()) {
      for (const value of [proxy, { project_id: proxy, instance_id: proxy, error_code: proxy, error_msg: proxy, error: proxy }]) {
        const result = wellFormed(validate(value, "input"));
        expect(is(value)).toBe(result.ok);
        if (!result.ok) expect(result.issues.every((issue) => !issue.message.includes("trap"))).toBe(true);
        expect(() => standard["~standard"].validate(value)).not.toThrow();
      }
    }
  });

  it.each(covered)(
    "validate$name handles a string of a million characters",
    ({ validate }) => {
      for (const huge of ["f".repeat(1_000_000), `${"\ud83d\ude00".repeat(500_000)}\ud800`, "\n".repeat(1_000_000)]) {
        wellFormed(validate(huge));
        wellFormed(
          validate({ project_id: huge, instance_id: huge, error_code: huge, error_msg: huge, error: { code: huge, message: huge } }),
        );
      }
      // About 40 ms alone; a loaded 2-core CI machine took over 5 s once. This is about never throwing, not speed.
    },
    60_000,
  );

  it.each(covered)(
    "validate$name reports a property name of a million characters shortened",
    ({ validate }) => {
      const result = wellFormed(validate({ ["k".repeat(1_000_000)]: 1 }));
      if (!result.ok) for (const issue of result.issues) expect(issue.message.length).toBeLessThan(1000);
    },
    60_000,
  );
});
