import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { newRequestId, writeRawBadRequest } from "./respond.js";

/** Bounds on what one client can make the API server hold. */
export interface EmulatorLimits {
  /** Larger bodies are answered 413 APIGW.0201 (the operation has no body). Default 1 MiB. */
  maxBodyBytes: number;
  /** Larger request heads are answered 400 APIGW.0201. Default 64 KiB (a token may be 32 KiB). */
  maxHeaderBytes: number;
  /** More header lines are answered 400 APIGW.0201. Default 100. */
  maxHeaderCount: number;
  /** A connection that has not sent a full request head by then is closed. Default 10 s. */
  headersTimeoutMs: number;
  /** A request whose body has not fully arrived this long after its head is closed. Default 10 s. */
  bodyTimeoutMs: number;
  /** A request not fully received by then is closed. Default 30 s. */
  requestTimeoutMs: number;
  /** A connection with no traffic for this long is closed. Default 30 s. */
  idleTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. Default 5 s. */
  keepAliveTimeoutMs: number;
  /**
   * Open connections at most. A new one past the cap closes the oldest connection that is not
   * being answered (idle, or stalled in its head or body); only when every one is being
   * answered is the newcomer refused. Default 1024.
   */
  maxConnections: number;
  /**
   * Request body bytes held at once over all connections (at least `maxBodyBytes`). Past it,
   * the oldest connections holding a body are closed. Default 32 MiB.
   */
  maxHeldBodyBytes: number;
}

/** The defaults of {@link EmulatorLimits}. */
export const defaultLimits: Readonly<EmulatorLimits> = Object.freeze({
  maxBodyBytes: 1024 * 1024,
  maxHeaderBytes: 64 * 1024,
  maxHeaderCount: 100,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  idleTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1024,
  maxHeldBodyBytes: 32 * 1024 * 1024,
});

/**
 * The listener's account of body bytes held over all its connections (see `startListener`).
 * `reserve` returns false when the connection was closed to stay within the budget.
 */
interface BodyBudget {
  reserve(socket: Socket, bytes: number): boolean;
  release(socket: Socket): void;
}

/** The budget of each connection's listener, set when the connection is accepted. */
const bodyBudgets = new WeakMap<Socket, BodyBudget>();

type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: "too-large" | "aborted" };

/**
 * Reads a request body of at most `maxBytes`. When it is larger, resolves to `too-large`
 * without destroying the socket, so a 413 can still be written, and keeps discarding what
 * arrives until the connection closes: closing with unread bytes would make the kernel
 * send a reset that can destroy the 413 before the client reads it.
 *
 * Every byte kept counts against the listener's held-body budget until the read ends; when
 * the budget is exceeded the listener closes the oldest holders, and a read whose own
 * connection is closed resolves to `aborted` and drops what it held.
 */
export function readBoundedBody(request: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const socket = request.socket;
  const budget = bodyBudgets.get(socket);
  return new Promise((resolve) => {
    let chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult) => {
      if (done) return;
      done = true;
      for (const [event, listener] of listeners) request.removeListener(event, listener);
      chunks = [];
      budget?.release(socket);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        finish({ ok: false, reason: "too-large" });
        request.resume();
        return;
      }
      if (budget && !budget.reserve(socket, chunk.length)) {
        finish({ ok: false, reason: "aborted" });
        return;
      }
      chunks.push(chunk);
    };
    const onAborted = () => finish({ ok: false, reason: "aborted" });
    const listeners: Array<[string, (chunk: Buffer) => void]> = [
      ["data", onData],
      ["end", () => finish({ ok: true, body: Buffer.concat(chunks) })],
      ["error", onAborted],
      ["aborted", onAborted],
      ["close", () => (request.complete ? undefined : onAborted())],
    ];
    for (const [event, listener] of listeners) request.on(event, listener);
  });
}

/** An HTTP listener that knows its connections, so it can count them, evict them and close them all. */
export interface Listener {
  readonly url: string;
  /** Open connections right now. */
  connectionCount(): number;
  /** Request body bytes held right now, over every connection. */
  heldBodyBytes(): number;
  /** Stops accepting, destroys every open connection and resolves once the server is closed. */
  close(): Promise<void>;
}

// Parser errors after which nothing can be answered: the peer left or timed out.
const silentClientErrors = new Set(["ECONNRESET", "EPIPE", "ERR_HTTP_REQUEST_TIMEOUT", "HPE_CLOSED_CONNECTION"]);

/** One open connection and what it is doing. */
interface Connection {
  socket: Socket;
  /** The request on it that has not been answered yet, if any. */
  request: IncomingMessage | undefined;
  response: ServerResponse | undefined;
  /** Body bytes held for it by {@link readBoundedBody}. */
  held: number;
  bodyTimer: NodeJS.Timeout | undefined;
}

/**
 * A connection whose request is fully received and is being answered. Every other one (no
 * request yet, an idle keep-alive, a head or body still arriving) may be evicted.
 */
function isAnswering(connection: Connection): boolean {
  return connection.request?.complete === true && connection.response?.writableFinished === false;
}

/**
 * Starts a bounded HTTP/1.1 listener. Requests the parser refuses (bad syntax, a head over
 * `maxHeaderBytes`) get a 400 APIGW.0201 with an `X-Request-Id`; a head must arrive within
 * `headersTimeoutMs` and then its body within `bodyTimeoutMs`. At most `maxConnections` are
 * open and at most `maxHeldBodyBytes` of bodies are held at once: past either cap the oldest
 * connection that is not being answered (idle, or stalled in its head or body) is closed,
 * so a flood of half-open sockets cannot lock out a valid request.
 */
export async function startListener(
  host: string,
  port: number,
  limits: EmulatorLimits,
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<Listener> {
  const server: Server = createServer({
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
    // A missing Host is refused by the handlers' Host check, with a full answer and an X-Request-Id.
    requireHostHeader: false,
  });
  // One more than allowed, so the handler can tell "too many" from "exactly the limit".
  server.maxHeadersCount = limits.maxHeaderCount + 1;
  server.setTimeout(limits.idleTimeoutMs, (socket) => socket.destroy());

  // In connection order: the first evictable one is the oldest.
  const connections = new Map<Socket, Connection>();
  let heldTotal = 0;

  const evictOldest = (except: Socket | undefined, wanted: (connection: Connection) => boolean): boolean => {
    for (const connection of connections.values()) {
      if (connection.socket === except || isAnswering(connection) || !wanted(connection)) continue;
      forget(connection, true);
      return true;
    }
    return false;
  };

  /** Stops tracking a connection, releasing what it held, and closes it when asked. */
  const forget = (connection: Connection, close = false) => {
    if (connections.delete(connection.socket)) {
      heldTotal -= connection.held;
      connection.held = 0;
      clearTimeout(connection.bodyTimer);
    }
    if (close) connection.socket.destroy();
  };

  const budget: BodyBudget = {
    reserve(socket, bytes) {
      const connection = connections.get(socket);
      if (!connection) return false;
      connection.held += bytes;
      heldTotal += bytes;
      // Free room by closing the oldest other holders; the newcomer goes when nothing else can.
      while (heldTotal > limits.maxHeldBodyBytes) {
        if (!evictOldest(socket, (other) => other.held > 0)) {
          forget(connection, true);
          return false;
        }
      }
      return true;
    },
    release(socket) {
      const connection = connections.get(socket);
      if (!connection) return;
      heldTotal -= connection.held;
      connection.held = 0;
    },
  };

  server.on("connection", (socket: Socket) => {
    if (connections.size >= limits.maxConnections && !evictOldest(undefined, () => true)) {
      // Every connection is being answered: refuse the newcomer rather than cut an answer.
      socket.destroy();
      return;
    }
    connections.set(socket, { socket, request: undefined, response: undefined, held: 0, bodyTimer: undefined });
    bodyBudgets.set(socket, budget);
    socket.once("close", () => {
      const connection = connections.get(socket);
      if (connection) forget(connection);
    });
  });

  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    const connection = connections.get(request.socket);
    if (connection) {
      clearTimeout(connection.bodyTimer);
      Object.assign(connection, { request, response, bodyTimer: undefined });
      if (!request.complete) {
        // The head is in; the body gets its own deadline, as the head had.
        connection.bodyTimer = setTimeout(() => {
          if (!request.complete && connections.get(request.socket) === connection) forget(connection, true);
        }, limits.bodyTimeoutMs);
        connection.bodyTimer.unref();
      }
      response.once("finish", () => {
        if (connection.request !== request) return;
        clearTimeout(connection.bodyTimer);
        Object.assign(connection, { request: undefined, response: undefined, bodyTimer: undefined });
      });
    }
    handler(request, response);
  });

  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    if (silentClientErrors.has(error.code ?? "") || !socket.writable) {
      socket.destroy();
      return;
    }
    writeRawBadRequest(socket, newRequestId());
    // Whatever the peer sends next is not read; the socket goes once the answer is out.
    socket.once("finish", () => socket.destroy());
    setTimeout(() => socket.destroy(), 1_000).unref();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.removeListener("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    connectionCount: () => connections.size,
    heldBodyBytes: () => heldTotal,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const connection of [...connections.values()]) forget(connection, true);
      }),
  };
}
