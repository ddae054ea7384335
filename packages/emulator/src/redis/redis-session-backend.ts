import { connect, type Socket } from "node:net";
import type { SessionBackend } from "../session-backend.js";
import { RedisCommandError, RedisConnection } from "./redis-connection.js";
import type { RedisServerProcess } from "./redis-server-process.js";
import { encodeCommand, RespReader } from "./resp.js";

/** The most connections the emulator holds open on one node, to stay well within file descriptor limits. */
export const maxHeldConnectionsPerNode = 20_000;

export interface RedisSessionBackendOptions {
  host: string;
  port: number;
  password?: string;
  /** A server the emulator started: stopped by {@link RedisSessionBackend.dispose}. */
  ownedServer?: RedisServerProcess;
}

/**
 * A node whose sessions are the ordinary client connections of a real Redis server.
 * Counting reads `CLIENT LIST TYPE normal`; closing runs `CLIENT KILL TYPE normal SKIPME yes`,
 * so the emulator's own admin connection survives and every other client is disconnected.
 */
export class RedisSessionBackend implements SessionBackend {
  readonly kind = "redis";
  readonly address: { host: string; port: number };
  readonly #options: RedisSessionBackendOptions;
  readonly #held = new Set<Socket>();
  #admin: Promise<{ connection: RedisConnection; clientId: string }> | undefined;
  #disposed = false;

  constructor(options: RedisSessionBackendOptions) {
    this.#options = options;
    this.address = { host: options.host, port: options.port };
  }

  /** The admin connection, opened again if something killed it. */
  #adminConnection(): Promise<{ connection: RedisConnection; clientId: string }> {
    if (this.#disposed) return Promise.reject(new RedisCommandError("The node's backend has been disposed"));
    const current = this.#admin;
    if (current) {
      return current.then(
        (admin) => (admin.connection.isOpen ? admin : this.#openAdmin()),
        () => this.#openAdmin(),
      );
    }
    return this.#openAdmin();
  }

  #openAdmin(): Promise<{ connection: RedisConnection; clientId: string }> {
    const { host, port, password } = this.#options;
    const opening = (async () => {
      // CLIENT KILL over thousands of clients can take a while; allow it 30 s.
      const connection = await RedisConnection.open({ host, port, timeoutMs: 30_000, ...(password === undefined ? {} : { password }) });
      try {
        await connection.command(["CLIENT", "SETNAME", "geminidb-sessions-emulator-admin"]);
        const clientId = String(await connection.command(["CLIENT", "ID"]));
        return { connection, clientId };
      } catch (error) {
        connection.close();
        throw error;
      }
    })();
    this.#admin = opening;
    return opening;
  }

  async count(): Promise<number> {
    const { connection, clientId } = await this.#adminConnection();
    const list = await connection.command(["CLIENT", "LIST", "TYPE", "normal"]);
    if (typeof list !== "string") throw new RedisCommandError("CLIENT LIST did not answer a bulk string");
    return list.split("\n").filter((line) => line.startsWith("id=") && !line.startsWith(`id=${clientId} `)).length;
  }

  async open(count: number): Promise<void> {
    if (this.#held.size + count > maxHeldConnectionsPerNode) {
      throw new RedisCommandError(`At most ${maxHeldConnectionsPerNode} held connections per node`);
    }
    // In batches, so a large count does not flood the server's accept queue.
    for (let opened = 0; opened < count; opened += 256) {
      const batch = Math.min(256, count - opened);
      await Promise.all(Array.from({ length: batch }, () => this.#openOne()));
    }
  }

  /** Opens one connection, waits for the server's answer to PING, and holds it. */
  #openOne(): Promise<void> {
    const { host, port, password } = this.#options;
    return new Promise<void>((resolve, reject) => {
      const socket = connect({ host, port });
      const reader = new RespReader();
      const expected = password === undefined ? 1 : 2;
      let replies = 0;
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new RedisCommandError(`Redis at ${host}:${port} did not answer a new connection in 5000 ms`));
      }, 5_000);
      socket.once("connect", () => {
        this.#held.add(socket);
        const commands = password === undefined ? [encodeCommand(["PING"])] : [encodeCommand(["AUTH", password]), encodeCommand(["PING"])];
        socket.write(Buffer.concat(commands));
      });
      socket.on("data", (chunk: Buffer) => {
        replies += reader.push(chunk).length;
        if (replies >= expected) {
          clearTimeout(timer);
          resolve();
        }
      });
      socket.on("error", (error) => {
        clearTimeout(timer);
        reject(new RedisCommandError(`Cannot hold a connection to Redis at ${host}:${port}: ${error.message}`));
      });
      socket.once("close", () => {
        clearTimeout(timer);
        this.#held.delete(socket);
      });
    });
  }

  async closeAll(): Promise<number> {
    const { connection } = await this.#adminConnection();
    const killed = await connection.command(["CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"]);
    return typeof killed === "number" ? killed : 0;
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const socket of this.#held) socket.destroy();
    this.#held.clear();
    const admin = this.#admin;
    this.#admin = undefined;
    if (admin) await admin.then((a) => a.connection.close()).catch(() => undefined);
    await this.#options.ownedServer?.stop();
  }
}
