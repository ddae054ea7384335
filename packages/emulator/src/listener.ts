import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { EmulatorLimits } from "./limits.js";
import { newRequestId } from "./request-id.js";
import { writeRawBadRequest } from "./respond.js";

/** An HTTP listener that knows its connections, so it can count them and close them all. */
export interface Listener {
  readonly url: string;
  readonly port: number;
  /** Open connections right now. */
  connectionCount(): number;
  /** Stops accepting, destroys every open connection and resolves once the server is closed. */
  close(): Promise<void>;
}

// Parser errors after which nothing can be answered: the peer left or timed out.
const silentClientErrors = new Set(["ECONNRESET", "EPIPE", "ERR_HTTP_REQUEST_TIMEOUT", "HPE_CLOSED_CONNECTION"]);

/**
 * Starts a bounded HTTP/1.1 listener. Requests the parser refuses (bad syntax, a head over
 * `maxHeaderBytes`) get a 400 APIGW.0201 with an `X-Request-Id`; connections that stall past
 * the timeouts are closed; at most `maxConnections` are open at once.
 */
export async function startListener(
  host: string,
  port: number,
  limits: EmulatorLimits,
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<Listener> {
  const server: Server = createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
    },
    handler,
  );
  // One more than allowed, so the handler can tell "too many" from "exactly the limit".
  server.maxHeadersCount = limits.maxHeaderCount + 1;
  server.maxConnections = limits.maxConnections;
  server.setTimeout(limits.idleTimeoutMs, (socket) => socket.destroy());
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
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
    connectionCount: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
