import type { ListInstanceSessionsResponse, ListNodeSessionsResponse, NodeSessionStatistics } from "@geminidb-sessions/validation";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { demoIds, type RunningEmulator, startEmulator } from "../src/index.js";
import { sessionStatistics } from "../src/world.js";
import { callOperation } from "./support/call-operation.js";
import { expectConforming } from "./support/conforming-response.js";

const { instances, nodes } = demoIds;
const [first, second] = nodes.redisProxy;

describe("the sessions family on the in-memory world", () => {
  let emu: RunningEmulator;
  beforeEach(async () => {
    emu = await startEmulator({ port: 0 });
  });
  afterEach(() => emu.close());

  it("lists an instance's sessions per node, or one node's with node_id", async () => {
    const all = expectConforming(await callOperation(emu, "listInstanceSessions", { instanceId: instances.redisProxy }), {
      status: 200,
      operationId: "listInstanceSessions",
    }) as ListInstanceSessionsResponse;
    expect(all.node_sessions.map((n) => [n.node_id, n.total_count, n.sessions.length])).toEqual([
      [nodes.redisProxy[0], 3, 3],
      [nodes.redisProxy[1], 4, 4],
      [nodes.redisProxy[2], 5, 5],
    ]);
    const one = expectConforming(await callOperation(emu, "listInstanceSessions", { instanceId: instances.redisProxy, nodeId: second }), {
      status: 200,
      operationId: "listInstanceSessions",
    }) as ListInstanceSessionsResponse;
    expect(one.node_sessions.map((n) => n.node_id)).toEqual([second]);
    expectConforming(
      await callOperation(emu, "listInstanceSessions", { instanceId: instances.redisProxy, nodeId: demoIds.unknownNodeId }),
      {
        status: 404,
        code: "DBS.200013",
      },
    );
  });

  it("pages through a node's sessions, newest first, with the total, never past the end", async () => {
    await emu.world.openSessions(instances.redisProxy, 7, first);
    const page = async (offset: number, limit: number) =>
      expectConforming(await callOperation(emu, "listNodeSessions", { nodeId: first, offset, limit }), {
        status: 200,
        operationId: "listNodeSessions",
      }) as ListNodeSessionsResponse;
    const pages = [await page(0, 4), await page(4, 4), await page(8, 4), await page(10, 4)];
    expect(pages.map((p) => [p.total_count, p.sessions.length])).toEqual([
      [10, 4],
      [10, 4],
      [10, 2],
      [10, 0],
    ]);
    const ids = pages.flatMap((p) => p.sessions.map((s) => Number(s.id)));
    expect(new Set(ids).size).toBe(10);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it("uses the spec's default offset and limit, filters by address prefix, and refuses a limit out of bounds", async () => {
    await emu.world.openSessions(instances.redisProxy, 60, first);
    const defaults = expectConforming(await callOperation(emu, "listNodeSessions", { nodeId: first }), {
      status: 200,
      operationId: "listNodeSessions",
    }) as ListNodeSessionsResponse;
    expect([defaults.total_count, defaults.sessions.length]).toEqual([63, 50]);
    const prefix = defaults.sessions[0]?.addr.split(":")[0] as string;
    const filtered = expectConforming(await callOperation(emu, "listNodeSessions", { nodeId: first, addrPrefix: `${prefix}:` }), {
      status: 200,
      operationId: "listNodeSessions",
    }) as ListNodeSessionsResponse;
    expect(filtered.total_count).toBeGreaterThan(0);
    expect(filtered.total_count).toBeLessThan(63);
    expect(filtered.sessions.every((s) => s.addr.startsWith(`${prefix}:`))).toBe(true);
    for (const limit of [0, 101, "x"]) {
      expectConforming(await callOperation(emu, "listNodeSessions", { nodeId: first, limit }), { status: 400, code: "DBS.200001" });
    }
  });

  it("computes a node's statistics from its sessions: totals, active, top source IPs and databases", async () => {
    await emu.world.openSessions(instances.redisProxy, 2, first, { idleSeconds: 30 });
    const stats = expectConforming(await callOperation(emu, "getNodeSessionStatistics", { nodeId: first }), {
      status: 200,
      operationId: "getNodeSessionStatistics",
    }) as NodeSessionStatistics;
    expect(stats.total_connection_count).toBe(5);
    expect(stats.active_connection_count).toBe(3);
    expect(stats.top_source_ips.reduce((sum, ip) => sum + ip.connection_count, 0)).toBe(5);
    expect(stats.top_dbs.reduce((sum, db) => sum + db.connection_count, 0)).toBe(5);
  });

  it("ranks at most ten source IPs, most connections first", () => {
    const session = (ip: string, db: string) => ({ id: "1", addr: `${ip}:1000`, age: "1", idle: "1", db });
    const sessions = Array.from({ length: 12 }, (_, i) =>
      Array.from({ length: i + 1 }, () => session(`10.0.0.${i}`, String(i % 3))),
    ).flat();
    const stats = sessionStatistics(sessions);
    expect(stats.top_source_ips).toHaveLength(10);
    expect(stats.top_source_ips[0]).toEqual({ client_ip: "10.0.0.11", connection_count: 12 });
    expect(stats.top_dbs.map((d) => d.db)).toEqual(["2", "1", "0"]);
    expect(sessionStatistics([session("[::1]", "0")]).top_source_ips).toEqual([{ client_ip: "::1", connection_count: 1 }]);
  });

  it("closes a node's sessions by ID, then all of them; session_ids is required when is_all is false", async () => {
    const listed = expectConforming(await callOperation(emu, "listNodeSessions", { nodeId: second }), {
      status: 200,
      operationId: "listNodeSessions",
    }) as ListNodeSessionsResponse;
    const chosen = listed.sessions.slice(0, 2).map((s) => s.id);
    expectConforming(await callOperation(emu, "closeNodeSessions", { nodeId: second, body: { is_all: false, session_ids: chosen } }), {
      status: 200,
    });
    expect((await emu.world.sessionCounts(instances.redisProxy))[second]).toBe(2);
    for (const body of [{ is_all: false }, { is_all: false, session_ids: [] }, { session_ids: ["1"] }, {}]) {
      expectConforming(await callOperation(emu, "closeNodeSessions", { nodeId: second, body }), { status: 400, code: "DBS.200001" });
    }
    expectConforming(await callOperation(emu, "closeNodeSessions", { nodeId: second, body: { is_all: true } }), { status: 200 });
    expect(await emu.world.sessionCounts(instances.redisProxy)).toEqual({ [first]: 3, [second]: 0, [nodes.redisProxy[2]]: 5 });
  });

  it("closes one node's sessions with closeInstanceSessions' node_id, and only on proxy clusters", async () => {
    expectConforming(await callOperation(emu, "closeInstanceSessions", { instanceId: instances.redisProxy, nodeId: first }), {
      status: 200,
    });
    expect(Object.values(await emu.world.sessionCounts(instances.redisProxy))).toEqual([0, 4, 5]);
    const refused = await callOperation(emu, "closeInstanceSessions", { instanceId: instances.redisCluster });
    expectConforming(refused, { status: 400, code: "DBS.200001" });
    expect(refused.body).toMatch(/proxy-cluster instances only/);
    // The node-scoped close works on any Redis instance.
    expectConforming(await callOperation(emu, "closeNodeSessions", { nodeId: nodes.redisCluster, body: { is_all: true } }), {
      status: 200,
    });
  });

  it("answers the node-scoped refusals: unknown node, abnormal node, another project's node, a frozen instance's close", async () => {
    expectConforming(await callOperation(emu, "getNodeSessionStatistics", { nodeId: demoIds.unknownNodeId }), {
      status: 404,
      code: "DBS.200013",
    });
    expectConforming(await callOperation(emu, "listNodeSessions", { nodeId: nodes.abnormal }), { status: 403, code: "DBS.200018" });
    expectConforming(await callOperation(emu, "listNodeSessions", { nodeId: "784b3fb7bac14bc4Z0659950dd4f022fno12" }), {
      status: 400,
      code: "DBS.200001",
    });
    expectConforming(await callOperation(emu, "closeNodeSessions", { nodeId: nodes.frozen, body: { is_all: true } }), {
      status: 403,
      code: "DBS.200011",
    });
    // Listing reads; it does not need the instance to be available.
    expectConforming(await callOperation(emu, "listNodeSessions", { nodeId: nodes.frozen }), {
      status: 200,
      operationId: "listNodeSessions",
    });
  });
});
