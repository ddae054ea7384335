import { afterEach, describe, expect, it } from "vitest";
import { demoIds, EmulatorConfigError, type RunningEmulator, startEmulator } from "../src/index.js";
import { adminFetch, deleteWithToken } from "./support/calls.js";
import { expectConforming } from "./support/conforming-response.js";

const instance = demoIds.instances.redisProxy;

describe("fault injection", () => {
  let emu: RunningEmulator | undefined;
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  it("answers a given status and code in either body form, then behaves normally once the rule is removed", async () => {
    emu = await startEmulator({
      faults: [{ id: "outage", effect: { type: "error", code: "APIGW.0201", status: 502, form: "nested", retryAfter: 2 } }],
    });
    const response = await deleteWithToken(emu, instance);
    expectConforming(response, { status: 502, code: "APIGW.0201" });
    expect(response.header("retry-after")).toBe("2");
    expect(JSON.parse(response.body)).toHaveProperty("error.code", "APIGW.0201");
    expect(await emu.world.totalSessions(instance)).toBe(12);
    expect(emu.faults.remove("outage")).toBe(true);
    expectConforming(await deleteWithToken(emu, instance), { status: 200 });
  });

  it("throttles with 429 APIGW.0308 and Retry-After", async () => {
    emu = await startEmulator({ faults: [{ effect: { type: "throttle", retryAfter: "Sat, 28 Nov 2026 09:30:00 GMT" } }] });
    const response = await deleteWithToken(emu, instance);
    expectConforming(response, { status: 429, code: "APIGW.0308" });
    expect(response.header("retry-after")).toBe("Sat, 28 Nov 2026 09:30:00 GMT");
  });

  it("fails only the nth request", async () => {
    emu = await startEmulator({ faults: [{ nth: 2, effect: { type: "error", code: "APIGW.0201", status: 504 } }] });
    const statuses = [];
    for (let call = 0; call < 4; call++) statuses.push((await deleteWithToken(emu, instance)).status);
    expect(statuses).toEqual([200, 504, 200, 200]);
  });

  it("fails the first N requests, then lets calls through", async () => {
    emu = await startEmulator({ faults: [{ first: 2, effect: { type: "throttle" } }] });
    const statuses = [];
    for (let call = 0; call < 4; call++) statuses.push((await deleteWithToken(emu, instance)).status);
    expect(statuses).toEqual([429, 429, 200, 200]);
    expect(emu.faults.list()).toEqual([expect.objectContaining({ seen: 4, fired: 2 })]);
  });

  it("scopes a rule to one instance", async () => {
    emu = await startEmulator({ faults: [{ instanceId: instance, effect: { type: "error", code: "DBS.200019" } }] });
    expectConforming(await deleteWithToken(emu, instance), { status: 403, code: "DBS.200019" });
    expectConforming(await deleteWithToken(emu, demoIds.instances.frozen), { status: 403, code: "DBS.200011" });
  });

  it("resets the connection without an answer", async () => {
    emu = await startEmulator({ faults: [{ nth: 1, effect: { type: "reset" } }] });
    await expect(deleteWithToken(emu, instance)).rejects.toThrow(TypeError);
    expect(await emu.world.totalSessions(instance)).toBe(12);
    expectConforming(await deleteWithToken(emu, instance), { status: 200 });
  });

  it("answers a body that claims JSON but is not, with X-Request-Id", async () => {
    emu = await startEmulator({ faults: [{ effect: { type: "malformed-json", status: 500 } }] });
    const response = await deleteWithToken(emu, instance);
    expect(response.status).toBe(500);
    expect(response.header("content-type")).toBe("application/json");
    expect(response.header("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
    expect(() => JSON.parse(response.body)).toThrow(SyntaxError);
  });

  it("answers a proxy's HTML page", async () => {
    emu = await startEmulator({ faults: [{ effect: { type: "html", status: 502 } }] });
    const response = await deleteWithToken(emu, instance);
    expect(response.status).toBe(502);
    expect(response.header("content-type")).toMatch(/^text\/html/);
    expect(response.body).toContain("<html>");
  });

  it("adds latency and then answers normally (the rule counts what it delayed)", async () => {
    emu = await startEmulator({ faults: [{ effect: { type: "latency", ms: 50 } }] });
    expectConforming(await deleteWithToken(emu, instance), { status: 200 });
    expect(emu.faults.list()).toEqual([expect.objectContaining({ fired: 1 })]);
  });

  it("cuts a pending latency short on close, so closing never waits for it", async () => {
    emu = await startEmulator({ faults: [{ effect: { type: "latency", ms: 60_000 } }] });
    const pending = deleteWithToken(emu, instance).catch((error: unknown) => error);
    await expect.poll(() => emu?.faults.list()[0]?.fired, { timeout: 5_000 }).toBe(1);
    await emu.close();
    expect(await pending).toBeInstanceOf(TypeError);
  });

  it("takes rules from the world config too", async () => {
    emu = await startEmulator({
      world: {
        projects: [{ id: demoIds.projectId }],
        tokens: [{ token: "t0k3n", projectId: demoIds.projectId }],
        faults: [{ effect: { type: "throttle" } }],
      },
    });
    expectConforming(await deleteWithToken(emu, instance, { token: "t0k3n" }), { status: 429, code: "APIGW.0308" });
  });

  it("refuses rules the catalog contradicts", async () => {
    emu = await startEmulator();
    expect(() => emu?.faults.add({ effect: { type: "error", code: "APIGW.0301", status: 500 } })).toThrow(EmulatorConfigError);
    expect(() => emu?.faults.add({ effect: { type: "error", code: "NOT.A.CODE" as "APIGW.0301" } })).toThrow(EmulatorConfigError);
    expect(() => emu?.faults.add({ nth: 0, effect: { type: "reset" } })).toThrow(/nth/);
  });
});

describe("the admin API", () => {
  let emu: RunningEmulator | undefined;
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  const admin = (path: string, init: { method: string; body?: unknown } = { method: "GET" }) =>
    adminFetch(emu as RunningEmulator, path, init);

  it("listens on a separate loopback port; the API port does not serve it", async () => {
    emu = await startEmulator();
    expect(new URL(emu.adminUrl).hostname).toBe("127.0.0.1");
    expect(new URL(emu.adminUrl).port).not.toBe(new URL(emu.url).port);
    const onApi = await fetch(`${emu.url}/faults`, { method: "POST", body: "{}" });
    expectConforming(
      { status: onApi.status, header: (n) => onApi.headers.get(n) ?? undefined, body: await onApi.text() },
      { status: 404, code: "APIGW.0101" },
    );
  });

  it("adds, lists and clears fault rules", async () => {
    emu = await startEmulator();
    const added = await admin("/faults", {
      method: "POST",
      body: [
        { first: 1, effect: { type: "throttle" } },
        { id: "slow", effect: { type: "latency", ms: 1 } },
      ],
    });
    expect(added.status).toBe(201);
    expect(await added.json()).toEqual({ ids: ["fault-1", "slow"] });
    expectConforming(await deleteWithToken(emu, instance), { status: 429, code: "APIGW.0308" });
    const listed = (await (await admin("/faults")).json()) as { faults: Array<{ id: string; fired: number }> };
    expect(listed.faults.map((rule) => [rule.id, rule.fired])).toEqual([
      ["fault-1", 1],
      ["slow", 1],
    ]);
    expect((await admin("/faults/slow", { method: "DELETE" })).status).toBe(200);
    expect((await admin("/faults/slow", { method: "DELETE" })).status).toBe(404);
    expect(await (await admin("/faults", { method: "DELETE" })).json()).toEqual({ removed: 1 });
    expect(emu.faults.list()).toEqual([]);
  });

  it("refuses a bad rule with 400 and every issue", async () => {
    emu = await startEmulator();
    const response = await admin("/faults", {
      method: "POST",
      body: { nth: -1, effect: { type: "error", code: "DBS.200001", status: 404 } },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { issues: string[] };
    expect(body.issues).toEqual([expect.stringContaining("nth"), expect.stringContaining("status")]);
  });

  it("opens fake sessions, changes statuses and shows the state", async () => {
    emu = await startEmulator();
    const opened = await admin("/sessions", { method: "POST", body: { instanceId: instance, count: 3 } });
    expect(await opened.json()).toEqual({ instanceId: instance, sessions: expect.any(Object) });
    expect(await emu.world.totalSessions(instance)).toBe(15);
    expect((await admin(`/instances/${instance}`, { method: "PATCH", body: { status: "busy" } })).status).toBe(200);
    expectConforming(await deleteWithToken(emu, instance), { status: 403, code: "DBS.200019" });
    const state = (await (await admin("/state")).json()) as {
      world: { projects: Array<{ instances: Array<{ id: string; status: string; nodes: Array<{ sessions: number }> }> }> };
    };
    const shown = state.world.projects[0]?.instances.find((candidate) => candidate.id === instance);
    expect(shown?.status).toBe("busy");
    expect(shown?.nodes.map((node) => node.sessions)).toEqual([4, 5, 6]);
    expect(JSON.stringify(state)).not.toContain(demoIds.secretKey);
    expect(JSON.stringify(state)).not.toContain(demoIds.token);
    expect((await admin("/instances/nope", { method: "PATCH", body: { status: "busy" } })).status).toBe(404);
  });
});
