import { demoIds, isRedisServerInstalled, type RunningEmulator, startEmulator } from "@geminidb-sessions/emulator";
import { connectAndPing, type PingedClient, settlesWithin } from "@geminidb-sessions/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSessionsClient, type SessionsClientOptions } from "../src/index.js";

const redisProxy = demoIds.instances.redisProxy;

function clientOn(emu: RunningEmulator, options: Partial<SessionsClientOptions> = {}) {
  return createSessionsClient({
    projectId: emu.credentials.projectId,
    endpoint: emu.url,
    credentials: { token: emu.credentials.token },
    runtime: { sleep: async () => {} },
    ...options,
  });
}

// Typed errors, retries and refused credentials against the emulator are conformance scenarios
// (packages/conformance), run through this client and typescript-fetch alike.
describe("client against the emulator (in-memory world)", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
  });
  afterAll(() => emu.close());

  it.each([
    ["an IAM token", (e: RunningEmulator) => ({ token: e.credentials.token })],
    ["an AK/SK signature", (e: RunningEmulator) => ({ accessKey: e.credentials.accessKey, secretKey: e.credentials.secretKey })],
  ])("closes every session of every node with %s", async (_label, credentials) => {
    await emu.world.openSessions(redisProxy, 12);
    expect(await emu.world.totalSessions(redisProxy)).toBeGreaterThan(0);
    const { requestId } = await clientOn(emu, { credentials: credentials(emu) }).closeInstanceSessions({ instanceId: redisProxy });
    expect(requestId).toEqual(expect.any(String));
    expect(Object.values(await emu.world.sessionCounts(redisProxy)).every((count) => count === 0)).toBe(true);
  });
});

const redisInstalled = isRedisServerInstalled();
if (!redisInstalled) process.stderr.write("skipped: redis-server not installed: the client's real Redis integration test does not run\n");

describe.skipIf(!redisInstalled)(
  redisInstalled ? "client against the emulator with real redis-server nodes" : "real Redis (skipped: redis-server not installed)",
  () => {
    let emu: RunningEmulator;
    const connections: PingedClient[] = [];
    beforeAll(async () => {
      emu = await startEmulator({ port: 0, redis: { instances: [redisProxy] } });
    });
    afterAll(async () => {
      for (const connection of connections) connection.socket.destroy();
      await emu.close();
    });

    it("closes every real connection on every node, and the servers stay up", async () => {
      const nodes = emu.world.nodeAddresses(redisProxy);
      expect(nodes).toHaveLength(3);
      for (const node of nodes) for (let i = 0; i < 4; i++) connections.push(await connectAndPing(node.host, node.port));

      await clientOn(emu).closeInstanceSessions({ instanceId: redisProxy });

      expect(await settlesWithin(Promise.all(connections.map((c) => c.closed)), 5_000)).toBe(true);
      for (const node of nodes) connections.push(await connectAndPing(node.host, node.port));
      expect(Object.values(await emu.world.sessionCounts(redisProxy))).toEqual([1, 1, 1]);
    });
  },
);
