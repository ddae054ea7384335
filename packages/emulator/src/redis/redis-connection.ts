import { connect, type Socket } from "node:net";
import type { RedisAddress } from "../world-config.js";

/** A reply of the Redis protocol (RESP2). */
export type RespValue = string | number | null | RespError | RespValue[];

/** An error reply (`-ERR ...`). */
export class RespError extends Error {
  override readonly name = "RespError";
}

/** The largest bulk string or array a reply may announce; larger ones are a protocol error. */
const maxLength = 512 * 1024 * 1024;

/** Encodes a command as a RESP array of bulk strings. */
export function encodeCommand(args: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = Buffer.from(arg, "utf8");
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}

/** Thrown when the bytes are not RESP; the connection cannot be trusted afterwards. */
export class RespProtocolError extends Error {
  override readonly name = "RespProtocolError";
}

type Parsed = { value: RespValue; end: number } | undefined;

function readLine(buffer: Buffer, start: number): { line: string; end: number } | undefined {
  const crlf = buffer.indexOf("\r\n", start);
  if (crlf === -1) return undefined;
  return { line: buffer.toString("utf8", start, crlf), end: crlf + 2 };
}

function readLength(text: string): number {
  const length = Number(text);
  if (!Number.isInteger(length) || length < -1 || length > maxLength) throw new RespProtocolError(`bad length ${text}`);
  return length;
}

function parseAt(buffer: Buffer, start: number): Parsed {
  if (start >= buffer.length) return undefined;
  const header = readLine(buffer, start + 1);
  if (!header) return undefined;
  const type = String.fromCharCode(buffer[start] ?? 0);
  switch (type) {
    case "+":
      return { value: header.line, end: header.end };
    case "-":
      return { value: new RespError(header.line), end: header.end };
    case ":": {
      const value = Number(header.line);
      if (!Number.isFinite(value)) throw new RespProtocolError(`bad integer ${header.line}`);
      return { value, end: header.end };
    }
    case "$": {
      const length = readLength(header.line);
      if (length === -1) return { value: null, end: header.end };
      if (buffer.length < header.end + length + 2) return undefined;
      return { value: buffer.toString("utf8", header.end, header.end + length), end: header.end + length + 2 };
    }
    case "*": {
      const length = readLength(header.line);
      if (length === -1) return { value: null, end: header.end };
      const items: RespValue[] = [];
      let position = header.end;
      for (let index = 0; index < length; index++) {
        const item = parseAt(buffer, position);
        if (!item) return undefined;
        items.push(item.value);
        position = item.end;
      }
      return { value: items, end: position };
    }
    default:
      throw new RespProtocolError(`unexpected reply type ${JSON.stringify(type)}`);
  }
}

/** Splits a byte stream into replies, keeping an incomplete tail for the next chunk. */
export class RespReader {
  #pending: Buffer = Buffer.alloc(0);

  /** Adds bytes; returns every reply now complete, in order. */
  push(chunk: Buffer): RespValue[] {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const replies: RespValue[] = [];
    let position = 0;
    for (;;) {
      const parsed = parseAt(this.#pending, position);
      if (!parsed) break;
      replies.push(parsed.value);
      position = parsed.end;
    }
    this.#pending = this.#pending.subarray(position);
    return replies;
  }
}

/** A Redis server could not be reached, answered an error, or did not answer in time. */
export class RedisCommandError extends Error {
  override readonly name = "RedisCommandError";
  readonly code = "EMULATOR_REDIS";
}

export interface RedisConnectionOptions extends RedisAddress {
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
