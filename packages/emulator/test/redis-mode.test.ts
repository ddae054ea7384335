import { connectAndPing, type PingedClient, settlesWithin } from "@geminidb-sessions/test-utils";
import type { ListNodeSessionsResponse, NodeSessionStatistics } from "@geminidb-sessions/validation";
import { afterEach, describe, expect, it } from "vitest";
import {
  demoIds,
  isRedisServerInstalled,
  type RedisServerProcess,
  type RunningEmulator,
  startEmulator,
  startRedisServer,
} from "../src/index.js";
import { RedisConnection } from "../src/redis/redis-connection.js";
import { callOperation } from "./support/call-operation.js";
import { deleteWithToken } from "./support/calls.js";
import { expectConforming } from "./support/conforming-response.js";

const redisInstalled = isRedisServerInstalled();
const suiteName = redisInstalled ? "real Redis mode" : "real Redis mode (skipped: redis-server not installed)";
if (!redisInstalled) {
  // Printed at collection, so a run without redis-server says why these tests did not run.
  process.stderr.write("skipped: redis-server not installed: the real Redis mode tests of @geminidb-sessions/emulator do not run\n");
}

const instance = demoIds.instances.redisProxy;
const project = demoIds.projectId;

describe.skipIf(!redisInstalled)(suiteName, () => {
  let emu: RunningEmulator | undefined;
  let external: RedisServerProcess | undefined;
  const clients: PingedClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.destroy();
    await emu?.close();
    emu = undefined;
    await external?.stop();
    external = undefined;
  });

  it("closes every client connection on every node while the redis-servers stay up, and stops them on close", async () => {
    emu = await startEmulator({ redis: { instances: [instance] } });
    const nodes = emu.world.nodeAddresses(instance);
    expect(nodes).toHaveLength(3);
    // The demo's initial sessions are real connections the emulator holds.
    expect(Object.values(await emu.world.sessionCounts(instance))).toEqual([3, 4, 5]);

    for (const node of nodes) {
      for (let index = 0; index < 3; index++) clients.push(await connectAndPing(node.host, node.port));
    }
    expect(Object.values(await emu.world.sessionCounts(instance))).toEqual([6, 7, 8]);

    expectConforming(await deleteWithToken(emu, instance), { status: 200 });
    expect(await settlesWithin(Promise.all(clients.map((client) => client.closed)), 5_000)).toBe(true);
    expect(Object.values(await emu.world.sessionCounts(instance))).toEqual([0, 0, 0]);

    // The servers are still up: a new connection gets PONG on every node.
    for (const node of nodes) clients.push(await connectAndPing(node.host, node.port));
    expect(Object.values(await emu.world.sessionCounts(instance))).toEqual([1, 1, 1]);

    await emu.close();
    for (const node of nodes) await expect(connectAndPing(node.host, node.port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it("works against an existing Redis server it is pointed at, and leaves that server running", async () => {
    external = await startRedisServer();
    const server = external;
    emu = await startEmulator({
      world: {
        projects: [
          {
            id: project,
            instances: [
              {
                id: instance,
                engine: "redis",
                mode: "proxy-cluster",
                nodes: [{ id: "external-node", backend: { host: server.host, port: server.port } }],
              },
            ],
          },
        ],
        tokens: [{ token: demoIds.token, projectId: project }],
      },
    });
    for (let index = 0; index < 4; index++) clients.push(await connectAndPing(server.host, server.port));
    expect(await emu.world.totalSessions(instance)).toBe(4);
    expectConforming(await deleteWithToken(emu, instance), { status: 200 });
    expect(await settlesWithin(Promise.all(clients.map((client) => client.closed)), 5_000)).toBe(true);
    await emu.close();
    clients.push(await connectAndPing(server.host, server.port));
  });

  it("spares its own admin connection: the same client ID is connected before and after the kill", async () => {
    emu = await startEmulator({ redis: { instances: [instance] } });
    const [node] = emu.world.nodeAddresses(instance);
    if (!node) throw new Error("no Redis node");
    await emu.world.sessionCounts(instance); // the admin connection is open from here on
    const adminIds = async () => {
      const probe = await RedisConnection.open({ host: node.host, port: node.port });
      try {
        const list = String(await probe.command(["CLIENT", "LIST", "TYPE", "normal"]));
        return list
          .split("\n")
          .filter((line) => line.includes(" name=geminidb-sessions-emulator-admin "))
          .map((line) => /^id=(\d+) /.exec(line)?.[1]);
      } finally {
        probe.close();
      }
    };
    const before = await adminIds();
    expect(before).toHaveLength(1);
    expectConforming(await deleteWithToken(emu, instance), { status: 200 });
    expect(await adminIds()).toEqual(before);
  });

  it("opens real sessions through the world and counts them from CLIENT LIST", async () => {
    emu = await startEmulator({ redis: { instances: [instance] } });
    await emu.world.openSessions(instance, 30);
    expect(Object.values(await emu.world.sessionCounts(instance))).toEqual([13, 14, 15]);
    expectConforming(await deleteWithToken(emu, instance), { status: 200 });
    expect(await emu.world.totalSessions(instance)).toBe(0);
  });

  it("lists a node's real clients from CLIENT LIST, closes chosen ones with CLIENT KILL ID, and leaves the rest connected", async () => {
    emu = await startEmulator({ redis: { instances: [instance] } });
    const [node] = emu.world.nodeAddresses(instance);
    if (!node) throw new Error("no Redis node");
    const mine = await Promise.all([1, 2].map(() => connectAndPing(node.host, node.port)));
    clients.push(...mine);
    const listed = expectConforming(await callOperation(emu, "listNodeSessions", { nodeId: node.nodeId, limit: 100 }), {
      status: 200,
      operationId: "listNodeSessions",
    }) as ListNodeSessionsResponse;
    // The 3 sessions the world opened on this node, and the 2 test clients; never the emulator's admin connection.
    expect(listed.total_count).toBe(5);
    expect(listed.sessions.some((s) => s.name === "geminidb-sessions-emulator-admin")).toBe(false);
    const ports = new Set(mine.map((client) => String(client.socket.localPort)));
    const ours = listed.sessions.filter((s) => ports.has(s.addr.split(":").pop() as string));
    expect(ours.map((s) => s.cmd)).toEqual(["ping", "ping"]);
    const stats = expectConforming(await callOperation(emu, "getNodeSessionStatistics", { nodeId: node.nodeId }), {
      status: 200,
      operationId: "getNodeSessionStatistics",
    }) as NodeSessionStatistics;
    expect(stats.total_connection_count).toBe(5);
    expect(stats.top_source_ips).toEqual([{ client_ip: "127.0.0.1", connection_count: 5 }]);
    const victim = ours[0]?.id as string;
    const closedClient = mine.find((client) => String(client.socket.localPort) === ours[0]?.addr.split(":").pop());
    expectConforming(
      await callOperation(emu, "closeNodeSessions", { nodeId: node.nodeId, body: { is_all: false, session_ids: [victim] } }),
      {
        status: 200,
      },
    );
    await expect(settlesWithin(closedClient?.closed ?? Promise.reject(new Error("no client")), 2000)).resolves.toBe(true);
    expect((await emu.world.sessionCounts(instance))[node.nodeId]).toBe(4);
  });

  it("answers 403 DBS.200018 when a node's Redis server cannot be reached", async () => {
    external = await startRedisServer();
    const { host, port } = external;
    await external.stop();
    external = undefined;
    emu = await startEmulator({
      world: {
        projects: [
          {
            id: project,
            instances: [{ id: instance, engine: "redis", mode: "proxy-cluster", nodes: [{ id: "gone", backend: { host, port } }] }],
          },
        ],
        tokens: [{ token: demoIds.token, projectId: project }],
      },
    });
    expectConforming(await deleteWithToken(emu, instance), { status: 403, code: "DBS.200018" });
  });
});
