import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { cryptoBackend, selectCryptoBackend } from "../src/crypto.js";
import { sha256Hex, signRequest, signString } from "../src/index.js";
import { verifySignature } from "../src/server.js";

const AK = "HPUAEXAMPLEAK1234567";
const SK = "exampleSecretKeyNotRealButWellFormed0123";
const PROJECT = "619d3e78f61b4be68bc5aa0b59edcf7b";
const DATE = new Date("2026-11-28T09:30:00Z");

const realGetBuiltinModule = process.getBuiltinModule;
/** Replaces `process.getBuiltinModule` (undefined: a runtime without it) until the test ends. */
const replaceGetBuiltinModule = (value: unknown) => {
  (process as { getBuiltinModule: unknown }).getBuiltinModule = value;
};

afterEach(() => {
  replaceGetBuiltinModule(realGetBuiltinModule);
  selectCryptoBackend("auto");
});

/** The same computation once with node:crypto and once with Web Crypto. */
async function onBoth<T>(work: () => Promise<T>): Promise<{ node: T; web: T }> {
  expect(selectCryptoBackend("node")).toBe("node");
  const node = await work();
  expect(selectCryptoBackend("web")).toBe("web");
  const web = await work();
  return { node, web };
}

describe("signing backends: node:crypto where the runtime has it, Web Crypto elsewhere", () => {
  it("picks node:crypto on Node without importing it, and Web Crypto when process.getBuiltinModule is absent", () => {
    expect(selectCryptoBackend("auto")).toBe("node");
    replaceGetBuiltinModule(undefined);
    expect(selectCryptoBackend("auto")).toBe("web");
    expect(cryptoBackend()).toBe("web");
  });

  it("falls back to Web Crypto when the lookup throws (a runtime that forbids builtins)", () => {
    replaceGetBuiltinModule(() => {
      throw new Error("not allowed");
    });
    expect(selectCryptoBackend("auto")).toBe("web");
    expect(() => selectCryptoBackend("node")).toThrow(/node:crypto is not available/);
  });

  it("both give byte-identical hashes and signatures, over arbitrary text, bytes and keys", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "binary" }),
        fc.uint8Array(),
        fc.string({ minLength: 1, unit: "binary" }),
        async (text, bytes, key) => {
          const { node, web } = await onBoth(async () => [
            await sha256Hex(text),
            await sha256Hex(bytes),
            await signString(key, "20261128T093000Z", text),
          ]);
          expect(node).toEqual(web);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("both sign a whole request alike, the key cached per SK (a second SK is not signed with the first's key)", async () => {
    const request = { method: "DELETE", url: `https://example.com/v3/${PROJECT}/instances/i/sessions?b=1&a=2`, headers: {}, body: "{}" };
    const sign = (secretKey: string) => signRequest(request, { accessKey: AK, secretKey }, { date: DATE, projectId: PROJECT });
    const { node, web } = await onBoth(async () => [await sign(SK), await sign(`${SK}X`), await sign(SK)]);
    expect(node).toEqual(web);
    const [first, other, again] = node;
    expect(again).toEqual(first);
    expect(other?.Authorization).not.toBe(first?.Authorization);
    const headers = Object.fromEntries(Object.entries(first ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
    const received = { method: "DELETE", rawTarget: `/v3/${PROJECT}/instances/i/sessions?b=1&a=2`, headers, body: "{}" };
    const verdict = await verifySignature(received, () => SK, { now: DATE });
    expect(verdict).toEqual({ ok: true, accessKey: AK });
  });
});
