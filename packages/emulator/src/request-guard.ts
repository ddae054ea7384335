import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { authProfile } from "@geminidb-sessions/validation";
import { EmulatorConfigError } from "./input-reader.js";
import { newRequestId, writeError } from "./respond.js";
import type { RequestLogEntry } from "./start-emulator.js";

/**
 * Who may talk to the emulator: checks of the `Host` and `Origin` headers (against DNS
 * rebinding and web pages), the admin secret, and the CORS answers of `cors: true`.
 */

/** The header an admin call carries the admin token in. */
export const adminTokenHeader = "X-Admin-Token";

/** The environment variable the bin reads a fixed admin token from. */
export const adminTokenEnvVar = "GEMINIDB_EMULATOR_ADMIN_TOKEN";

const loopbackHostNames = ["127.0.0.1", "localhost", "[::1]"];
const wildcardAddresses = new Set(["", "0.0.0.0", "::", "[::]"]);

/** Lower-cases a host name and brackets an IPv6 address, as a `Host` header writes it. */
function hostName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.includes(":") && !lower.startsWith("[") ? `[${lower}]` : lower;
}

/**
 * The host names a `Host` header may give: the loopback names, the address the listener is
 * bound to (unless it is a wildcard such as `0.0.0.0`) and `extra`.
 */
export function allowedHostNames(bindHost: string, extra: readonly string[] = []): ReadonlySet<string> {
  const names = new Set(loopbackHostNames);
  if (!wildcardAddresses.has(bindHost.trim())) names.add(hostName(bindHost));
  for (const name of extra) names.add(hostName(name));
  return names;
}

/**
 * Whether a `Host` header names this listener: one of `names` and the port it listens on
 * (80 when the header has none). A missing header, another name (a DNS-rebinding page's
 * domain) or another port is refused.
 */
export function isAllowedHost(header: string | undefined, names: ReadonlySet<string>, port: number): boolean {
  if (header === undefined) return false;
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s]+)(?::(\d{1,5}))?$/.exec(header);
  if (!match) return false;
  const [, name = "", portText] = match;
  return names.has(name.toLowerCase()) && (portText === undefined ? 80 : Number(portText)) === port;
}

/** `http://127.0.0.1:<port>`, `http://localhost:<port>` or `http://[::1]:<port>`, any port or none. */
export function isLoopbackOrigin(origin: string): boolean {
  return /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/i.test(origin);
}

/** A header's value (repeated ones joined), or undefined when the request has none. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

/** A fresh admin token: 32 characters of base64url, 192 random bits. */
export function newAdminToken(): string {
  return randomBytes(24).toString("base64url");
}

/** Checks a caller-chosen admin token: 16 to 256 printable ASCII characters, no spaces. */
export function checkAdminToken(token: unknown, name = "adminToken"): string {
  if (typeof token !== "string" || !/^[\x21-\x7e]{16,256}$/.test(token)) {
    throw new EmulatorConfigError(`Invalid ${name}`, [`${name}: must be 16 to 256 printable ASCII characters without spaces`]);
  }
  return token;
}

/** Whether two secrets are equal, compared in constant time. */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Whether the request carries the admin token. */
export function hasAdminToken(request: IncomingMessage, token: string): boolean {
  const sent = request.headers[adminTokenHeader.toLowerCase()];
  return typeof sent === "string" && sameSecret(sent, token);
}

/** The request headers the clients send, which a CORS preflight allows. */
export const corsAllowedHeaders: readonly string[] = [
  authProfile.tokenHeader,
  authProfile.authorizationHeader,
  authProfile.dateHeader,
  authProfile.projectHeader,
  authProfile.securityTokenHeader,
  "Content-Type",
  "X-Language",
] as const;

/** The response headers a page may read. */
export const corsExposedHeaders = ["X-Request-Id"] as const;

/** The methods a CORS preflight allows. */
export const corsAllowedMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

/** How long a browser may cache a preflight answer. */
const corsMaxAgeSeconds = 600;

/** What the API port's guard works with. */
export interface ApiGuard {
  hostNames: ReadonlySet<string>;
  cors: boolean;
  log: ((entry: RequestLogEntry) => void) | undefined;
}

/**
 * Runs before the API handler. Refuses a `Host` that does not name the emulator (404
 * APIGW.0101: no API at this host) and an `Origin` that is not a loopback page (403
 * APIGW.0302), answers CORS preflights of loopback pages when `cors` is on, and adds the
 * CORS headers to the real answer. Returns true when it answered the request itself.
 */
export function guardApiRequest(guard: ApiGuard, request: IncomingMessage, response: ServerResponse): boolean {
  const origin = headerValue(request.headers.origin);
  const answered = (requestId: string, entry: Pick<RequestLogEntry, "status" | "code" | "refused">) => {
    guard.log?.({ requestId, method: request.method ?? "", target: (request.url ?? "").slice(0, 200), ...entry });
    return true;
  };
  const refuse = (code: "APIGW.0101" | "APIGW.0302", message: string) => {
    const requestId = newRequestId();
    const status = writeError(response, code, { requestId, origin: "gateway", message, close: true });
    return answered(requestId, { status, code, refused: code === "APIGW.0101" ? "host" : "origin" });
  };
  if (!isAllowedHost(request.headers.host, guard.hostNames, request.socket.localPort ?? 0)) {
    return refuse(
      "APIGW.0101",
      "The Host header does not name this emulator: it answers loopback names and its own port only (DNS rebinding protection).",
    );
  }
  if (origin !== undefined && !isLoopbackOrigin(origin)) {
    return refuse(
      "APIGW.0302",
      "Requests from this web page's origin are refused: the emulator serves only pages on http://127.0.0.1, http://localhost or http://[::1].",
    );
  }
  if (origin === undefined || !guard.cors) return false;
  response.setHeader("access-control-allow-origin", origin);
  response.setHeader("access-control-expose-headers", corsExposedHeaders.join(", "));
  response.setHeader("vary", "Origin");
  // A CORS preflight (`OPTIONS` with `Access-Control-Request-Method`): 204 with the allowed methods and headers.
  if (request.method === "OPTIONS" && request.headers["access-control-request-method"] !== undefined) {
    const requestId = newRequestId();
    response.writeHead(204, {
      "access-control-allow-methods": corsAllowedMethods.join(", "),
      "access-control-allow-headers": corsAllowedHeaders.join(", "),
      "access-control-max-age": String(corsMaxAgeSeconds),
      "x-request-id": requestId,
      "content-length": "0",
    });
    response.end();
    return answered(requestId, { status: 204 });
  }
  return false;
}
