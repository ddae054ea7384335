import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { demoIds, EmulatorConfigError, type RunningEmulator, startEmulator } from "../src/index.js";
import { deleteWithToken, sessionsPath } from "./support/calls.js";
import { expectConforming } from "./support/conforming-response.js";
import { parseRawResponse, rawRequest, requestHead } from "./support/raw-http.js";

const instance = demoIds.instances.redisProxy;

function address(url: string) {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
}

/** Opens a socket, writes `bytes`, and resolves with everything the server sent before closing. */
function sendAndCollect(url: string, bytes: string | Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(address(url));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("server kept the connection open for 10 s"));
    }, 10_000);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    socket.write(bytes);
  });
}

function openSocket(url: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(address(url));
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });
}

describe("robustness", () => {
  let emu: RunningEmulator | undefined;
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  it("answers request-line garbage with 400 APIGW.0201 and X-Request-Id", async () => {
    emu = await startEmulator();
    const raw = await sendAndCollect(emu.url, "THIS IS NOT HTTP\r\n\r\n");
    expectConforming(parseRawResponse(raw), { status: 400, code: "APIGW.0201" });
  });

  it("answers a head larger than the limit with 400 APIGW.0201", async () => {
    emu = await startEmulator({ limits: { maxHeaderBytes: 4096 } });
    const head = requestHead(emu.url, "DELETE", sessionsPath(demoIds.projectId, instance), { "X-Auth-Token": "a".repeat(8192) });
    const raw = await sendAndCollect(emu.url, `${head}\r\n\r\n`);
    expectConforming(parseRawResponse(raw), { status: 400, code: "APIGW.0201" });
    expect(await emu.world.totalSessions(instance)).toBe(12);
  });

  it("accepts a token of the spec's maximum length (32768 characters) with the default limits", async () => {
    emu = await startEmulator();
    const head = requestHead(emu.url, "DELETE", sessionsPath(demoIds.projectId, instance), { "X-Auth-Token": "a".repeat(32_768) });
    expectConforming(await rawRequest(emu.url, head), { status: 401, code: "APIGW.0301" });
  });

  it("answers more header lines than the limit with 400 APIGW.0201", async () => {
    emu = await startEmulator({ limits: { maxHeaderCount: 20 } });
    const headers = Object.fromEntries(Array.from({ length: 30 }, (_, index) => [`X-Filler-${index}`, "1"]));
    const head = requestHead(emu.url, "DELETE", sessionsPath(demoIds.projectId, instance), { "X-Auth-Token": demoIds.token, ...headers });
    expectConforming(await rawRequest(emu.url, head), { status: 400, code: "APIGW.0201" });
    expect(await emu.world.totalSessions(instance)).toBe(12);
  });

  it("survives a burst of malformed and half-open requests: no socket left, and a valid call still works", async () => {
    emu = await startEmulator({ limits: { headersTimeoutMs: 300, requestTimeoutMs: 600, idleTimeoutMs: 1_000 } });
    const running = emu;
    const host = new URL(running.url).host;
    const garbage = [
      "GARBAGE\r\n\r\n",
      `DELETE / HTTP/1.1\r\nHost: ${host}\r\nContent-Length: nope\r\n\r\n`,
      `DELETE / HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
      "DELETE /\x01 HTTP/1.1\r\n\r\n",
      Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00]),
    ];
    const malformed = Array.from({ length: 40 }, (_, index) => sendAndCollect(running.url, garbage[index % garbage.length] ?? ""));
    // Half-open: a head that never ends, a body that never comes, a connection that says nothing.
    const halfOpen = await Promise.all(
      Array.from({ length: 30 }, async (_, index) => {
        const socket = await openSocket(running.url);
        socket.on("error", () => undefined);
        if (index % 3 === 0) socket.write(`DELETE ${sessionsPath(demoIds.projectId, instance)} HTTP/1.1\r\nHost: ${host}\r\n`);
        if (index % 3 === 1)
          socket.write(`DELETE ${sessionsPath(demoIds.projectId, instance)} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 100\r\n\r\nabc`);
        return socket;
      }),
    );
    const replies = await Promise.all(malformed);
    for (const reply of replies) expectConforming(parseRawResponse(reply), { status: 400, code: "APIGW.0201" });
    // The server, not the clients, must end the half-open connections.
    await expect.poll(() => running.connectionCount(), { timeout: 10_000, interval: 50 }).toBe(0);
    expect(halfOpen.every((socket) => socket.destroyed || socket.readableEnded)).toBe(true);
    for (const socket of halfOpen) socket.destroy();
    expectConforming(await deleteWithToken(running, instance), { status: 200 });
  });

  /** Opens `count` sockets one after the other, each with a full head and an unfinished body of `sent` of `declared` bytes. */
  async function halfOpenBodies(url: string, count: number, sent: number, declared: number): Promise<Socket[]> {
    const head = requestHead(url, "DELETE", sessionsPath(demoIds.projectId, instance), {
      "X-Auth-Token": demoIds.token,
      "Content-Length": String(declared),
    });
    const sockets: Socket[] = [];
    for (let index = 0; index < count; index++) {
      const socket = await openSocket(url);
      socket.on("error", () => undefined);
      await new Promise<void>((resolve) => socket.write(`${head}\r\n\r\n${"x".repeat(sent)}`, () => resolve()));
      sockets.push(socket);
    }
    return sockets;
  }

  const closedByServer = (socket: Socket) => socket.destroyed || socket.readableEnded;

  it("keeps serving valid requests when half-open sockets fill the connection cap, closing the oldest first", async () => {
    emu = await startEmulator({ limits: { maxConnections: 40, bodyTimeoutMs: 60_000 } });
    const running = emu;
    const sockets = await halfOpenBodies(running.url, 100, 3, 100);
    try {
      expect(running.connectionCount()).toBeLessThanOrEqual(40);
      for (let call = 0; call < 3; call++) expectConforming(await deleteWithToken(running, instance), { status: 200 });
      expect(running.connectionCount()).toBeLessThanOrEqual(40);
      // The 60 oldest went to make room; the newest stay open until their own deadlines.
      await expect.poll(() => sockets.slice(0, 60).every(closedByServer), { timeout: 5_000, interval: 20 }).toBe(true);
      expect(sockets.slice(-30).some(closedByServer)).toBe(false);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });

  it("closes a connection whose body stalls past bodyTimeoutMs, though the other deadlines are far", async () => {
    emu = await startEmulator({
      limits: { bodyTimeoutMs: 200, headersTimeoutMs: 60_000, requestTimeoutMs: 120_000, idleTimeoutMs: 60_000 },
    });
    const running = emu;
    const [socket] = await halfOpenBodies(running.url, 1, 3, 100);
    try {
      await expect.poll(() => socket !== undefined && closedByServer(socket), { timeout: 5_000, interval: 20 }).toBe(true);
      await expect.poll(() => running.connectionCount(), { timeout: 5_000, interval: 20 }).toBe(0);
    } finally {
      socket?.destroy();
    }
  });

  it("bounds the body bytes held over all connections, closing the oldest holders, and releases them", async () => {
    const kib = 1024;
    emu = await startEmulator({ limits: { maxBodyBytes: 64 * kib, maxHeldBodyBytes: 256 * kib, bodyTimeoutMs: 60_000 } });
    const running = emu;
    const sockets = await halfOpenBodies(running.url, 12, 60 * kib, 64 * kib);
    try {
      await expect.poll(() => running.heldBodyBytes(), { timeout: 5_000, interval: 20 }).toBeGreaterThan(128 * kib);
      expect(running.heldBodyBytes()).toBeLessThanOrEqual(256 * kib);
      await expect.poll(() => sockets.slice(0, 8).every(closedByServer), { timeout: 5_000, interval: 20 }).toBe(true);
      expectConforming(await deleteWithToken(running, instance), { status: 200 });
      for (const socket of sockets) socket.destroy();
      await expect.poll(() => running.heldBodyBytes(), { timeout: 5_000, interval: 20 }).toBe(0);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });

  it("refuses unknown limits and a held-body budget below the body limit", async () => {
    await expect(startEmulator({ limits: { bodyTimeout: 5 } as never })).rejects.toThrow(/limits\.bodyTimeout: is not a limit/);
    await expect(startEmulator({ limits: { maxBodyBytes: 2048, maxHeldBodyBytes: 1024 } })).rejects.toThrow(EmulatorConfigError);
  });

  it("close() ends every open connection and frees the ports", async () => {
    emu = await startEmulator();
    const { url, adminUrl } = emu;
    const idle = await openSocket(url);
    const closed = new Promise<void>((resolve) => idle.once("close", () => resolve()));
    idle.on("error", () => undefined);
    await emu.close();
    await closed;
    await expect(openSocket(url)).rejects.toThrow(/ECONNREFUSED/);
    await expect(openSocket(adminUrl)).rejects.toThrow(/ECONNREFUSED/);
    await emu.close();
  });
});
