import { gzipSync } from "node:zlib";
import { json } from "@geminidb-sessions/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { verifySignature } from "../src/server.js";
import { AK, asReceived, PROJECT, SESSIONS_PATH, SK, TOKEN, useServer } from "./helpers.js";

/*
 * Importing core does no work a call does not need: it reads none of the runtime's fetch globals
 * (on Node the first read of `Response` loads undici) and looks up no Node built-in (node:http,
 * node:https, node:zlib, node:crypto); each is found on first use. These tests import a fresh copy
 * of the modules, watch what the import touches, then check that the first calls after it (which
 * do the deferred work) behave as any later call does.
 */

// (Not `fetch` itself: core keeps the one it loaded with, to tell a replaced global; on Node it is a
// plain function that loads undici only when called.)
const FETCH_GLOBALS = ["Response", "Request", "Headers", "FormData"] as const;
type Scope = Record<string, unknown>;

const realGetBuiltinModule = process.getBuiltinModule;
const setGetBuiltinModule = (value: unknown) => {
  (process as { getBuiltinModule: unknown }).getBuiltinModule = value;
};

afterEach(() => {
  setGetBuiltinModule(realGetBuiltinModule);
});

/** Imports fresh copies of core's modules through `load`, recording the fetch globals read and the built-ins looked up meanwhile. */
async function importWatched<T>(load: () => Promise<T>): Promise<{ module: T; globalsRead: string[]; builtinsLooked: string[] }> {
  vi.resetModules();
  const globalsRead: string[] = [];
  const builtinsLooked: string[] = [];
  const scope = globalThis as unknown as Scope;
  const saved = FETCH_GLOBALS.map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)] as const);
  for (const [name, descriptor] of saved) {
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        globalsRead.push(name);
        return descriptor?.get === undefined ? descriptor?.value : descriptor.get.call(scope);
      },
    });
  }
  setGetBuiltinModule((id: string) => {
    builtinsLooked.push(id);
    return realGetBuiltinModule(id);
  });
  try {
    return { module: await load(), globalsRead, builtinsLooked };
  } finally {
    for (const [name, descriptor] of saved) {
      if (descriptor === undefined) delete scope[name];
      else Object.defineProperty(globalThis, name, descriptor);
    }
    setGetBuiltinModule(realGetBuiltinModule);
  }
}

describe("importing core defers the runtime's fetch and Node's built-ins to the first call that needs them", () => {
  const ctx = useServer();

  it("the Node entry reads no fetch global and looks up no built-in when it loads", async () => {
    const { globalsRead, builtinsLooked } = await importWatched(() => import("../src/index.node.js"));
    expect(globalsRead).toEqual([]);
    expect(builtinsLooked).toEqual([]);
  });

  it("the first call after it sends through node:http, and the 2xx Response it hands back reads as fetch's does", async () => {
    const { module: core } = await importWatched(() => import("../src/index.node.js"));
    const { server } = ctx;
    server.respondWith(json(200, { sessions: [1, 2], total_count: 2 }));
    const builtinsLooked: string[] = [];
    setGetBuiltinModule((id: string) => {
      builtinsLooked.push(id);
      return realGetBuiltinModule(id);
    });
    const coreFetch = core.createCoreFetch({ endpoint: server.url, credentials: { token: TOKEN } });
    const first = await coreFetch(`${server.url}${SESSIONS_PATH}`, { method: "DELETE" });
    expect(builtinsLooked).toEqual(expect.arrayContaining(["node:http", "node:https"]));
    expect(server.requests[0]?.headers.connection).toBe("keep-alive"); // node:http's agent, not undici's fetch
    expect(first).toBeInstanceOf(Response);
    expect(first.status).toBe(200);
    const copy = first.clone();
    expect(first.bodyUsed).toBe(false);
    expect(await first.json()).toEqual({ sessions: [1, 2], total_count: 2 });
    expect(first.bodyUsed).toBe(true);
    await expect(first.text()).rejects.toThrow(TypeError);
    expect(await copy.text()).toBe('{"sessions":[1,2],"total_count":2}');
    // A second answer is made by the same class, and reads alike.
    const second = await coreFetch(`${server.url}${SESSIONS_PATH}`, { method: "DELETE" });
    expect(Object.getPrototypeOf(second)).toBe(Object.getPrototypeOf(first));
    expect(await second.json()).toEqual({ sessions: [1, 2], total_count: 2 });
  });

  it("the first AK/SK signature after a fresh import verifies (node:crypto looked up then, not at load)", async () => {
    const { module: core, builtinsLooked } = await importWatched(() => import("../src/index.js"));
    expect(builtinsLooked).toEqual([]);
    const { server } = ctx;
    const signed = core.createCoreFetch({ endpoint: server.url, projectId: PROJECT, credentials: { accessKey: AK, secretKey: SK } });
    expect((await signed(`${server.url}${SESSIONS_PATH}`, { method: "DELETE" })).status).toBe(200);
    const verdict = await verifySignature(asReceived(server.requests[0] as never), (ak) => (ak === AK ? SK : undefined));
    expect(verdict).toEqual({ ok: true, accessKey: AK });
    expect(await core.sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("without process.getBuiltinModule (Node 20 before 20.16), createNodeFetch still sends on node:http and decodes gzip", async () => {
    const { module: node } = await importWatched(() => import("../src/node.js"));
    setGetBuiltinModule(undefined);
    const { server } = ctx;
    const send = node.createNodeFetch();
    try {
      server.respondWith(json(200, { plain: 1 }));
      expect(await (await send(server.url)).json()).toEqual({ plain: 1 });
      server.respondWith((_request, response) => {
        response.writeHead(200, { "content-encoding": "gzip", "content-type": "application/json" });
        response.end(gzipSync('{"zipped":1}'));
      });
      expect(await (await send(server.url)).json()).toEqual({ zipped: 1 });
    } finally {
      send.close();
    }
  });
});
