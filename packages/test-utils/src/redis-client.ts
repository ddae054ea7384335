import { connect, type Socket } from "node:net";

/** A plain client connection to a Redis server that has answered PING. */
export interface PingedClient {
  socket: Socket;
  /** Resolves when the server closes the connection. */
  closed: Promise<void>;
}

/** Connects to Redis with a raw socket, sends PING and resolves once +PONG arrives. */
export function connectAndPing(host: string, port: number): Promise<PingedClient> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let received = "";
    const closed = new Promise<void>((onClose) => socket.once("close", () => onClose()));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no PONG from ${host}:${port} in 5 s`));
    }, 5_000);
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
      if (received.includes("+PONG\r\n")) {
        clearTimeout(timer);
        resolve({ socket, closed });
      }
    });
    socket.write("*1\r\n$4\r\nPING\r\n");
  });
}

/** Resolves true when the promise settles within `ms`, false otherwise (a bound, not a timing assertion). */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const result = await Promise.race([promise.then(() => true as const), timeout]);
  clearTimeout(timer);
  return result;
}
