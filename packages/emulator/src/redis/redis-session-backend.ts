import { connect, type Socket } from "node:net";
import { type Session, schemas } from "@geminidb-sessions/validation";
import type { SessionBackend } from "../session-backend.js";
import type { RedisAddress } from "../world-config.js";
import { encodeCommand, RedisCommandError, RedisConnection, RespReader } from "./redis-connection.js";
import type { RedisServerProcess } from "./redis-server-process.js";

/** The most connections the emulator holds open on one node, to stay well within file descriptor limits. */
export const maxHeldConnectionsPerNode = 20_000;

export interface RedisSessionBackendOptions extends RedisAddress {
  /** A server the emulator started: stopped by {@link RedisSessionBackend.dispose}. */
  ownedServer?: RedisServerProcess;
}

/**
 * A node whose sessions are the ordinary client connections of a real Redis server.
 * Listing reads `CLIENT LIST TYPE normal`; closing all runs `CLIENT KILL TYPE normal SKIPME yes`
 * and closing by ID `CLIENT KILL ID`, so the emulator's own admin connection survives.
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
    const reopen = () => this.#openAdmin();
    return this.#admin?.then((admin) => (admin.connection.isOpen ? admin : reopen()), reopen) ?? reopen();
  }

  #openAdmin(): Promise<{ connection: RedisConnection; clientId: string }> {
    const opening = (async () => {
      // CLIENT KILL over thousands of clients can take a while; allow it 30 s.
      const connection = await RedisConnection.open({ ...this.#options, timeoutMs: 30_000 });
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

  /** `CLIENT LIST TYPE normal`, without the emulator's admin connection, most recently created first. */
  async list(): Promise<Session[]> {
    const { connection, clientId } = await this.#adminConnection();
    const list = await connection.command(["CLIENT", "LIST", "TYPE", "normal"]);
    if (typeof list !== "string") throw new RedisCommandError("CLIENT LIST did not answer a bulk string");
    const sessions = list
      .split("\n")
      .filter((line) => line.startsWith("id=") && !line.startsWith(`id=${clientId} `))
      .map(sessionFromClientLine);
    return sessions.sort((a, b) => Number(a.age) - Number(b.age) || Number(b.id) - Number(a.id));
  }

  async count(): Promise<number> {
    return (await this.list()).length;
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

  /** `CLIENT KILL ID` for each ID (never the admin connection's); an ID no longer connected is skipped. */
  async close(ids: readonly string[]): Promise<number> {
    const { connection, clientId } = await this.#adminConnection();
    let closed = 0;
    for (const id of new Set(ids)) {
      if (id === clientId || !/^\d+$/.test(id)) continue;
      const killed = await connection.command(["CLIENT", "KILL", "ID", id]).catch(() => 0);
      closed += typeof killed === "number" ? killed : 0;
    }
    return closed;
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

/** One `CLIENT LIST` line (`id=7 addr=127.0.0.1:5000 ... cmd=ping ...`) as the spec's `Session`. */
export function sessionFromClientLine(line: string): Session {
  const fields = new Map<string, string>();
  for (const pair of line.trim().split(" ")) {
    const equals = pair.indexOf("=");
    if (equals > 0) fields.set(pair.slice(0, equals), pair.slice(equals + 1));
  }
  // The spec's Session fields are CLIENT LIST's own names.
  return Object.fromEntries(Object.keys(schemas.Session.properties).map((name) => [name, fields.get(name) ?? ""])) as unknown as Session;
}
