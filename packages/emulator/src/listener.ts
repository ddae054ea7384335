import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { EmulatorLimits } from "./limits.js";
import { type BodyBudget, bodyBudgets } from "./read-body.js";
import { newRequestId, writeRawBadRequest } from "./respond.js";

/** An HTTP listener that knows its connections, so it can count them, evict them and close them all. */
export interface Listener {
  readonly url: string;
  readonly port: number;
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
      forget(connection);
      connection.socket.destroy();
      return true;
    }
    return false;
  };

  const forget = (connection: Connection) => {
    if (!connections.delete(connection.socket)) return;
    heldTotal -= connection.held;
    connection.held = 0;
    clearTimeout(connection.bodyTimer);
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
          forget(connection);
          socket.destroy();
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
      connection.request = request;
      connection.response = response;
      clearTimeout(connection.bodyTimer);
      connection.bodyTimer = undefined;
      if (!request.complete) {
        // The head is in; the body gets its own deadline, as the head had.
        connection.bodyTimer = setTimeout(() => {
          if (!request.complete && connections.get(request.socket) === connection) {
            forget(connection);
            request.socket.destroy();
          }
        }, limits.bodyTimeoutMs);
        connection.bodyTimer.unref();
      }
      response.once("finish", () => {
        if (connection.request !== request) return;
        clearTimeout(connection.bodyTimer);
        connection.bodyTimer = undefined;
        connection.request = undefined;
        connection.response = undefined;
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
    port: address.port,
    connectionCount: () => connections.size,
    heldBodyBytes: () => heldTotal,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const connection of [...connections.values()]) {
          forget(connection);
          connection.socket.destroy();
        }
      }),
  };
}
