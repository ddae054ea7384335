import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoIds, type RunningEmulator, startEmulator } from "../src/index.js";
import { deleteSigned, deleteWithToken, sessionsPath } from "./support/calls.js";
import { expectConforming, observe } from "./support/conforming-response.js";
import { rawRequest, requestHead } from "./support/raw-http.js";

const { instances } = demoIds;

describe("answers of the demo world, one per case the spec lists", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
  });
  afterAll(() => emu.close());

  it("closes every node's sessions and answers 200 {}", async () => {
    expect(Object.values(await emu.world.sessionCounts(instances.redisProxy))).toEqual([3, 4, 5]);
    expect(await emu.world.totalSessions(instances.redisProxy)).toBe(12);
    expect(expectConforming(await deleteWithToken(emu, instances.redisProxy), { status: 200 })).toEqual({});
    expect(Object.values(await emu.world.sessionCounts(instances.redisProxy))).toEqual([0, 0, 0]);
  });

  it("is idempotent: a second call closes what was opened in between", async () => {
    await emu.world.openSessions(instances.redisProxy, 7);
    expect(Object.values(await emu.world.sessionCounts(instances.redisProxy))).toEqual([3, 2, 2]);
    expectConforming(await deleteWithToken(emu, instances.redisProxy), { status: 200 });
    expectConforming(await deleteWithToken(emu, instances.redisProxy), { status: 200 });
    expect(await emu.world.totalSessions(instances.redisProxy)).toBe(0);
  });

  it("401 APIGW.0301 without credentials", async () => {
    const response = await observe(await fetch(`${emu.url}${sessionsPath(demoIds.projectId, instances.redisProxy)}`, { method: "DELETE" }));
    expectConforming(response, { status: 401, code: "APIGW.0301" });
  });

  it("401 APIGW.0301 for an unknown, an expired, or another project's token", async () => {
    expectConforming(await deleteWithToken(emu, instances.redisProxy, { token: "MIInotAKnownToken" }), { status: 401, code: "APIGW.0301" });
    expectConforming(await deleteWithToken(emu, instances.redisProxy, { token: demoIds.expiredToken }), {
      status: 401,
      code: "APIGW.0301",
    });
    expectConforming(await deleteWithToken(emu, instances.otherProject, { projectId: demoIds.otherProjectId }), {
      status: 401,
      code: "APIGW.0301",
    });
  });

  it("401 APIGW.0301 for a malformed token (a space splits it)", async () => {
    const head = requestHead(emu.url, "DELETE", sessionsPath(demoIds.projectId, instances.redisProxy), { "X-Auth-Token": "two words" });
    expectConforming(await rawRequest(emu.url, head), { status: 401, code: "APIGW.0301" });
  });

  it("accepts an AK/SK signature made by core's signRequest", async () => {
    expectConforming(await deleteSigned(emu, instances.redisProxy), { status: 200 });
    expectConforming(await deleteSigned(emu, instances.redisProxy, { scopeHeader: demoIds.projectId }), { status: 200 });
  });

  it("401 APIGW.0301 for a wrong SK, an unknown AK, or an X-Project-Id of another project", async () => {
    expectConforming(await deleteSigned(emu, instances.redisProxy, { secretKey: "notTheSecretKey123" }), {
      status: 401,
      code: "APIGW.0301",
    });
    expectConforming(await deleteSigned(emu, instances.redisProxy, { accessKey: "UNKNOWNAK0000000001" }), {
      status: 401,
      code: "APIGW.0301",
    });
    expectConforming(await deleteSigned(emu, instances.redisProxy, { scopeHeader: demoIds.otherProjectId }), {
      status: 401,
      code: "APIGW.0301",
    });
  });

  it("401 APIGW.0301 when X-Sdk-Date is more than 15 minutes off, either way; accepted within", async () => {
    const minutes = (n: number) => new Date(Date.now() + n * 60_000);
    expectConforming(await deleteSigned(emu, instances.redisProxy, { date: minutes(-16) }), { status: 401, code: "APIGW.0301" });
    expectConforming(await deleteSigned(emu, instances.redisProxy, { date: minutes(16) }), { status: 401, code: "APIGW.0301" });
    expectConforming(await deleteSigned(emu, instances.redisProxy, { date: minutes(-14) }), { status: 200 });
  });

  it("401 APIGW.0301 for a signature over a different request (tampered path)", async () => {
    const { signRequest } = await import("@geminidb-sessions/core");
    const signedUrl = `${emu.url}${sessionsPath(demoIds.projectId, instances.busy)}`;
    const headers = await signRequest(
      { method: "DELETE", url: signedUrl, headers: {} },
      { accessKey: demoIds.accessKey, secretKey: demoIds.secretKey },
    );
    const response = await fetch(`${emu.url}${sessionsPath(demoIds.projectId, instances.redisProxy)}`, { method: "DELETE", headers });
    expectConforming(await observe(response), { status: 401, code: "APIGW.0301" });
  });

  it("404 APIGW.0101 for another method on the path", async () => {
    for (const method of ["POST", "PUT", "PATCH"]) {
      expectConforming(await deleteWithToken(emu, instances.redisProxy, { method }), { status: 404, code: "APIGW.0101" });
    }
  });

  it("404 APIGW.0101 for unknown paths, even without credentials", async () => {
    for (const path of [
      "/",
      "/v3",
      `/v3/${demoIds.projectId}/instances/${instances.redisProxy}`,
      `/v2/${demoIds.projectId}/instances/${instances.redisProxy}/sessions`,
    ]) {
      expectConforming(await observe(await fetch(`${emu.url}${path}`, { method: "DELETE" })), { status: 404, code: "APIGW.0101" });
    }
  });

  it("400 DBS.200001 for malformed IDs", async () => {
    const upper = instances.redisProxy.toUpperCase();
    expectConforming(await deleteWithToken(emu, upper), { status: 400, code: "DBS.200001" });
    expectConforming(await deleteWithToken(emu, `${instances.redisProxy}x`), { status: 400, code: "DBS.200001" });
    expectConforming(await deleteWithToken(emu, "c865f921f3dd45198f209a607533a779in1"), { status: 400, code: "DBS.200001" });
    // A malformed project ID is a parameter error, not a project the token lacks.
    expectConforming(await deleteWithToken(emu, instances.redisProxy, { projectId: "not-a-project" }), { status: 400, code: "DBS.200001" });
    expectConforming(await deleteSigned(emu, instances.redisProxy, { projectId: "619D3E78F61B4BE68BC5AA0B59EDCF7B" }), {
      status: 400,
      code: "DBS.200001",
    });
  });

  it("404 DBS.200002 for a well-formed ID that names no instance", async () => {
    expectConforming(await deleteWithToken(emu, demoIds.unknownInstanceId), { status: 404, code: "DBS.200002" });
  });

  it("400 DBS.200010 for an instance of another project", async () => {
    expectConforming(await deleteWithToken(emu, instances.otherProject), { status: 400, code: "DBS.200010" });
  });

  it("400 DBS.200001 for an instance that is not a Redis proxy cluster (Cassandra; Redis Cluster mode)", async () => {
    expectConforming(await deleteWithToken(emu, instances.cassandra), { status: 400, code: "DBS.200001" });
    expectConforming(await deleteWithToken(emu, instances.redisCluster), { status: 400, code: "DBS.200001" });
    expect(await emu.world.totalSessions(instances.cassandra)).toBe(2);
  });

  it("403 DBS.200011 for a frozen instance, naming it in the message, and closes nothing", async () => {
    const body = expectConforming(await deleteWithToken(emu, instances.frozen), { status: 403, code: "DBS.200011" });
    expect((body as { error_msg: string }).error_msg).toContain(instances.frozen);
    expect(await emu.world.totalSessions(instances.frozen)).toBe(2);
  });

  it("403 DBS.200019 for a busy instance, 403 DBS.200018 when a node is abnormal", async () => {
    expectConforming(await deleteWithToken(emu, instances.busy), { status: 403, code: "DBS.200019" });
    expectConforming(await deleteWithToken(emu, instances.nodeDown), { status: 403, code: "DBS.200018" });
    expect(await emu.world.totalSessions(instances.nodeDown)).toBe(1);
  });

  it("follows status changes made through the world", async () => {
    const fresh = await startEmulator();
    try {
      fresh.world.setInstanceStatus(instances.redisProxy, "creating");
      expectConforming(await deleteWithToken(fresh, instances.redisProxy), { status: 403, code: "DBS.200011" });
      fresh.world.setInstanceStatus(instances.redisProxy, "abnormal");
      expectConforming(await deleteWithToken(fresh, instances.redisProxy), { status: 403, code: "DBS.200019" });
      fresh.world.setInstanceStatus(instances.redisProxy, "available");
      const [firstNode] = Object.keys(await fresh.world.sessionCounts(instances.redisProxy));
      fresh.world.setNodeStatus(instances.redisProxy, firstNode ?? "", "missing");
      expectConforming(await deleteWithToken(fresh, instances.redisProxy), { status: 404, code: "DBS.200013" });
      fresh.world.setNodeStatus(instances.redisProxy, firstNode ?? "", "normal");
      expectConforming(await deleteWithToken(fresh, instances.redisProxy), { status: 200 });
    } finally {
      await fresh.close();
    }
  });

  it("413 APIGW.0201 when Content-Length announces a body over the limit, closing nothing", async () => {
    await emu.world.openSessions(instances.redisProxy, 3);
    const head = requestHead(emu.url, "DELETE", sessionsPath(demoIds.projectId, instances.redisProxy), {
      "X-Auth-Token": demoIds.token,
      "Content-Length": String(1024 * 1024 + 1),
    });
    expectConforming(await rawRequest(emu.url, head), { status: 413, code: "APIGW.0201" });
    expect(await emu.world.totalSessions(instances.redisProxy)).toBe(3);
  });

  it("413 APIGW.0201 when a chunked body grows over the limit", async () => {
    const head = requestHead(emu.url, "DELETE", sessionsPath(demoIds.projectId, instances.redisProxy), {
      "X-Auth-Token": demoIds.token,
      "Transfer-Encoding": "chunked",
    });
    const size = 1024 * 1024 + 1;
    const body = `${size.toString(16)}\r\n${"x".repeat(size)}\r\n0\r\n\r\n`;
    expectConforming(await rawRequest(emu.url, head, body), { status: 413, code: "APIGW.0201" });
  });
});
