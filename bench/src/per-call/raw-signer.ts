import { createHash, createHmac } from "node:crypto";

const EMPTY_BODY_SHA256 = createHash("sha256").update("").digest("hex");

/** `YYYYMMDDTHHmmssZ`, as X-Sdk-Date wants it. */
export function sdkDate(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace(/[-:]/g, "")}Z`;
}

/** RFC 3986 unreserved characters kept, everything else %XX with upper-case hex. */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The query string as SDK-HMAC-SHA256 wants it: encoded `name=value` pairs sorted by name. */
function canonicalQuery(url: URL): string {
  return [...url.searchParams]
    .map(([name, value]) => `${encodeSegment(name)}=${encodeSegment(value)}`)
    .sort()
    .join("&");
}

/**
 * What a careful hand-written Node.js caller would do to sign a bodiless request (the
 * DELETE that closes, the GET that lists) with SDK-HMAC-SHA256: synchronous node:crypto,
 * the three headers the gateway needs, no input checks. The floor the clients' AK/SK
 * cost is compared with.
 */
export function signBodiless(
  method: "DELETE" | "GET",
  url: URL,
  projectId: string,
  accessKey: string,
  secretKey: string,
  now: Date = new Date(),
): Record<string, string> {
  const date = sdkDate(now);
  const canonicalUri = `${url.pathname.split("/").map(encodeSegment).join("/")}/`;
  const canonicalRequest = [
    method,
    canonicalUri,
    canonicalQuery(url),
    `host:${url.host}\nx-project-id:${projectId}\nx-sdk-date:${date}\n`,
    "host;x-project-id;x-sdk-date",
    EMPTY_BODY_SHA256,
  ].join("\n");
  const stringToSign = `SDK-HMAC-SHA256\n${date}\n${createHash("sha256").update(canonicalRequest).digest("hex")}`;
  const signature = createHmac("sha256", secretKey).update(stringToSign).digest("hex");
  return {
    "X-Project-Id": projectId,
    "X-Sdk-Date": date,
    Authorization: `SDK-HMAC-SHA256 Access=${accessKey}, SignedHeaders=host;x-project-id;x-sdk-date, Signature=${signature}`,
  };
}
