import { connectAndPing, type PingedClient, settlesWithin } from "@geminidb-sessions/test-utils";
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
