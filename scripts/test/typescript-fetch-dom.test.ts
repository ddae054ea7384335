import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withoutDomOnlyTypes } from "../generators/typescript-fetch.js";
import { repoRoot } from "../lib/repo.js";

// Issue 17: the typescript-fetch declarations must not need the DOM lib, or every
// Node-only consumer gets `document` and `window` (ecosystem/ checks the published .d.ts).
describe("typescript-fetch generator: no DOM-only types", () => {
  const runtime = readFileSync(join(repoRoot, "packages/typescript-fetch/src/generated/runtime.ts"), "utf8");

  it("the committed runtime names no type only the DOM lib declares", () => {
    expect(runtime).not.toMatch(/\bWindowOrWorkerGlobalScope\b|\bRequestCredentials\b/);
    expect(runtime).toContain(
      'export type FetchAPI = { fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> }["fetch"];',
    );
  });

  it("rewrites both names in the generator's text", () => {
    const raw = "export type FetchAPI = WindowOrWorkerGlobalScope['fetch'];\ncredentials?: RequestCredentials;";
    expect(withoutDomOnlyTypes(raw)).toBe(
      'export type FetchAPI = { fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> }["fetch"];\ncredentials?: RequestInit["credentials"];',
    );
  });

  it("fails loudly when a generator upgrade changes the text it rewrites", () => {
    expect(() => withoutDomOnlyTypes("export type FetchAPI = typeof fetch;")).toThrow(
      /no longer names WindowOrWorkerGlobalScope\['fetch'\]/,
    );
  });
});
