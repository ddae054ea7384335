import { canonicalRequest } from "./canonical.js";
import { constantTimeEqual, sha256Hex } from "./crypto.js";
import { parseAuthorization, parseSdkDate, signString } from "./signer.js";
import { DATE_HEADER, MAX_CLOCK_SKEW_SECONDS } from "./signing-profile.js";

/** A request as a server received it. */
export interface ReceivedRequest {
  method: string;
  /** The request target (path and query) exactly as it came on the wire. */
  rawTarget: string;
  /** Lower-case header names, node:http style (repeated headers as arrays). */
  headers: Record<string, string | string[] | undefined>;
  body?: string | Uint8Array;
}

/** Why a signature was refused. */
export type VerifyFailure = "missing" | "malformed" | "unknown-key" | "clock-skew" | "mismatch";

/**
 * Checks an SDK-HMAC-SHA256 signature the way the gateway does: the
 * `Authorization` header parses, `host` and `x-sdk-date` are among the signed
 * headers, the access key is known, `X-Sdk-Date` is within `maxSkewSeconds`
 * (default 900) of `now`, and the signature recomputed over the received
 * method, target, signed headers and body matches (compared in constant time).
 *
 * @example
 * const result = await verifySignature(
 *   { method: req.method, rawTarget: req.url, headers: req.headers, body },
 *   (ak) => (ak === "MYAK" ? "MYSK" : undefined),
 * );
 * if (!result.ok) respond(401, result.reason);
 */
export async function verifySignature(
  request: ReceivedRequest,
  lookupSecret: (accessKey: string) => string | undefined,
  options: { now?: Date; maxSkewSeconds?: number } = {},
): Promise<{ ok: true; accessKey: string } | { ok: false; reason: VerifyFailure }> {
  const header = (name: string): string | undefined => {
    const value = request.headers[name];
    return Array.isArray(value) ? value.join(", ") : value;
  };
  const authorization = header("authorization");
  if (authorization === undefined) return { ok: false, reason: "missing" };
  const parsed = parseAuthorization(authorization);
  if (parsed === undefined) return { ok: false, reason: "malformed" };
  const dateName = DATE_HEADER.toLowerCase();
  // A signature that does not cover the date or the host could be replayed later or elsewhere.
  if (!parsed.signedHeaders.includes(dateName) || !parsed.signedHeaders.includes("host")) return { ok: false, reason: "malformed" };
  const sdkDate = header(dateName);
  const signedAt = sdkDate === undefined ? undefined : parseSdkDate(sdkDate);
  if (sdkDate === undefined || signedAt === undefined) return { ok: false, reason: "malformed" };

  const secretKey = lookupSecret(parsed.accessKey);
  if (secretKey === undefined) return { ok: false, reason: "unknown-key" };
  const now = options.now ?? new Date();
  const maxSkewMs = (options.maxSkewSeconds ?? MAX_CLOCK_SKEW_SECONDS) * 1000;
  if (Math.abs(now.getTime() - signedAt.getTime()) > maxSkewMs) return { ok: false, reason: "clock-skew" };

  const headers: Record<string, string> = {};
  for (const name of parsed.signedHeaders) {
    const value = header(name);
    if (value === undefined) return { ok: false, reason: "mismatch" };
    headers[name] = value;
  }
  const queryStart = request.rawTarget.indexOf("?");
  const canonical = canonicalRequest({
    method: request.method,
    path: queryStart === -1 ? request.rawTarget : request.rawTarget.slice(0, queryStart),
    query: queryStart === -1 ? "" : request.rawTarget.slice(queryStart + 1),
    headers,
    signedHeaders: parsed.signedHeaders,
    payloadHash: await sha256Hex(request.body ?? ""),
  });
  const expected = await signString(secretKey, sdkDate, canonical);
  return constantTimeEqual(expected, parsed.signature) ? { ok: true, accessKey: parsed.accessKey } : { ok: false, reason: "mismatch" };
}
