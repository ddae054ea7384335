import { connect } from "node:net";
import type { ObservedResponse } from "./conforming-response.js";

/** Where to send raw bytes: the `url` of a running emulator. */
function addressOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
}

/** Parses one HTTP/1.1 response (with `Content-Length`) out of the bytes a server sent. */
export function parseRawResponse(raw: Buffer): ObservedResponse {
  const headEnd = raw.indexOf("\r\n\r\n");
  if (headEnd === -1) throw new Error(`no complete response head in ${JSON.stringify(raw.toString("latin1").slice(0, 200))}`);
  const [statusLine = "", ...headerLines] = raw.toString("latin1", 0, headEnd).split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  const headers = new Map<string, string>();
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const length = Number(headers.get("content-length") ?? raw.length - headEnd - 4);
  const body = raw.subarray(headEnd + 4, headEnd + 4 + length).toString("utf8");
  return { status, header: (name) => headers.get(name.toLowerCase()), body };
}

/**
 * Sends `head` (a request line and headers, CRLF-separated, without the final blank line)
 * exactly as written, plus `Connection: close`, and resolves to the parsed response. For
 * request targets that fetch would normalize (`..`, `%2F`, `#`).
 */
export function rawRequest(url: string, head: string, body = ""): Promise<ObservedResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(addressOf(url));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("no response within 10 s"));
    }, 10_000);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      try {
        resolve(parseRawResponse(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
    socket.write(`${head}\r\nConnection: close\r\n\r\n${body}`);
  });
}

/** A request head for `method target` with a Host header and the given extra header lines. */
export function requestHead(url: string, method: string, target: string, headers: Record<string, string> = {}): string {
  const { host, port } = addressOf(url);
  const lines = [
    `${method} ${target} HTTP/1.1`,
    `Host: ${host}:${port}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return lines.join("\r\n");
}
