import { connect, type Socket } from "node:net";
import { encodeCommand, RespError, RespReader, type RespValue } from "./resp.js";

/** A Redis server could not be reached, answered an error, or did not answer in time. */
export class RedisCommandError extends Error {
  override readonly name = "RedisCommandError";
  readonly code = "EMULATOR_REDIS";
}

export interface RedisConnectionOptions {
  host: string;
  port: number;
  password?: string;
  /** Per connect and per command; 5 s by default. */
  timeoutMs?: number;
}

interface Pending {
  resolve: (value: RespValue) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** One connection speaking RESP to a Redis server: commands in, replies out, in order. */
export class RedisConnection {
  readonly #socket: Socket;
  readonly #reader = new RespReader();
  readonly #pending: Pending[] = [];
  readonly #timeoutMs: number;
  #closed = false;

  private constructor(socket: Socket, timeoutMs: number) {
    this.#socket = socket;
    this.#timeoutMs = timeoutMs;
    socket.on("data", (chunk: Buffer) => {
      let replies: RespValue[];
      try {
        replies = this.#reader.push(chunk);
      } catch (error) {
        this.#fail(new RedisCommandError(`Redis sent bytes that are not RESP: ${(error as Error).message}`));
        return;
      }
      for (const reply of replies) {
        const pending = this.#pending.shift();
        if (!pending) continue;
        clearTimeout(pending.timer);
        if (reply instanceof RespError) pending.reject(new RedisCommandError(`Redis answered: ${reply.message}`));
        else pending.resolve(reply);
      }
    });
    socket.on("error", (error) => this.#fail(new RedisCommandError(`Redis connection failed: ${error.message}`)));
    socket.on("close", () => this.#fail(new RedisCommandError("Redis closed the connection")));
  }

  /** Connects (and authenticates when a password is given). */
  static async open(options: RedisConnectionOptions): Promise<RedisConnection> {
    const timeoutMs = options.timeoutMs ?? 5_000;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const attempt = connect({ host: options.host, port: options.port });
      const timer = setTimeout(() => {
        attempt.destroy();
        reject(new RedisCommandError(`Redis at ${options.host}:${options.port} did not accept a connection in ${timeoutMs} ms`));
      }, timeoutMs);
      attempt.once("connect", () => {
        clearTimeout(timer);
        attempt.removeAllListeners("error");
        resolve(attempt);
      });
      attempt.once("error", (error) => {
        clearTimeout(timer);
        reject(new RedisCommandError(`Cannot connect to Redis at ${options.host}:${options.port}: ${error.message}`));
      });
    });
    socket.setNoDelay(true);
    const connection = new RedisConnection(socket, timeoutMs);
    if (options.password !== undefined) {
      try {
        await connection.command(["AUTH", options.password]);
      } catch (error) {
        connection.close();
        throw error;
      }
    }
    return connection;
  }

  /** Whether the connection can still carry commands. */
  get isOpen(): boolean {
    return !this.#closed;
  }

  /** Sends one command and resolves to its reply; an error reply rejects. */
  command(args: readonly string[]): Promise<RespValue> {
    if (this.#closed) return Promise.reject(new RedisCommandError("Redis connection is closed"));
    return new Promise<RespValue>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#fail(new RedisCommandError(`Redis did not answer ${args[0] ?? ""} in ${this.#timeoutMs} ms`));
      }, this.#timeoutMs);
      this.#pending.push({ resolve, reject, timer });
      this.#socket.write(encodeCommand(args));
    });
  }

  /** Closes the connection; commands still waiting are rejected. */
  close(): void {
    this.#fail(new RedisCommandError("Redis connection closed by the emulator"));
  }

  #fail(error: Error): void {
    this.#closed = true;
    this.#socket.destroy();
    for (const pending of this.#pending.splice(0)) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
  }
}
