/*
 * The canonical request of SDK-HMAC-SHA256: pure string functions, shared by
 * the signer and the verifier so both sides can only ever agree.
 */

import { encoder } from "./text.js";

function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d || // -
    byte === 0x5f || // _
    byte === 0x2e || // .
    byte === 0x7e // ~
  );
}

const UNRESERVED_ONLY = /^[A-Za-z0-9\-_.~]*$/;
/** What encodeURIComponent leaves alone but the canonical form encodes. */
const SUB_DELIMS_KEPT_BY_ENCODE_URI = /[!'()*]/g;

/** Percent-encodes every UTF-8 byte except `A-Z a-z 0-9 - _ . ~`, with upper-case hex. */
export function percentEncode(text: string): string {
  // The common cases first (IDs and names are unreserved characters only; then
  // encodeURIComponent, which already writes upper-case UTF-8 escapes); the byte
  // loop only for text with lone surrogates, which encodeURIComponent refuses.
  if (UNRESERVED_ONLY.test(text)) return text;
  try {
    return encodeURIComponent(text).replace(SUB_DELIMS_KEPT_BY_ENCODE_URI, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  } catch {
    return percentEncodeBytes(text);
  }
}

/** The byte-by-byte definition (TextEncoder turns a lone surrogate into U+FFFD, as fetch does). */
export function percentEncodeBytes(text: string): string {
  let out = "";
  for (const byte of encoder.encode(text)) {
    out += isUnreserved(byte) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Decodes percent-escapes; text that is not valid percent-encoded UTF-8 is returned unchanged. */
function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The canonical URI of a (decoded) path: each `/`-separated segment
 * percent-encoded, keeping only `A-Z a-z 0-9 - _ . ~`, upper-case hex, joined
 * by `/` and always ending in `/`.
 *
 * @example
 * canonicalUri("/v3/p 1/instances"); // "/v3/p%201/instances/"
 */
export function canonicalUri(path: string): string {
  const encoded = path.split("/").map(percentEncode).join("/");
  return encoded.endsWith("/") ? encoded : `${encoded}/`;
}

/**
 * The canonical URI of a path as it appears on the wire (percent-encoded):
 * decoded first, then canonicalized, as the gateway does.
 */
export function canonicalUriFromWire(wirePath: string): string {
  return canonicalUri(percentDecode(wirePath));
}

/**
 * The canonical query string of a raw query (without `?`): each parameter
 * decoded, then `name=value` percent-encoded like the URI, sorted by encoded
 * name then encoded value, joined by `&`. Empty when there are no parameters.
 *
 * @example
 * canonicalQueryString("b=2&a=x%20y&c"); // "a=x%20y&b=2&c="
 */
export function canonicalQueryString(query: string): string {
  const pairs: Array<[string, string]> = [];
  for (const part of query.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? "" : part.slice(eq + 1);
    pairs.push([percentEncode(percentDecode(name)), percentEncode(percentDecode(value))]);
  }
  pairs.sort(([an, av], [bn, bv]) => compareAscii(an, bn) || compareAscii(av, bv));
  return pairs.map(([name, value]) => `${name}=${value}`).join("&");
}

function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A header value as the wire carries it: leading and trailing spaces and tabs dropped. */
export function normalizeHeaderValue(value: string): string {
  return value.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
}

/** Lower-case names, sorted, without duplicates. */
export function normalizeSignedHeaders(names: readonly string[]): string[] {
  return [...new Set(names.map((name) => name.toLowerCase()))].sort(compareAscii);
}

/**
 * The six-line canonical request: method, canonical URI, canonical query,
 * canonical headers (each `name:value\n`, sorted), signed header names joined
 * by `;`, payload hash. `path` and `query` are as on the wire (percent-encoded,
 * query without `?`); a signed header missing from `headers` counts as empty.
 *
 * @example
 * canonicalRequest({ method: "DELETE", path: "/v3/p/instances/i/sessions", query: "",
 *   headers: { Host: "example.com", "X-Sdk-Date": "20261128T093000Z" },
 *   signedHeaders: ["host", "x-sdk-date"], payloadHash: await sha256Hex("") });
 */
export function canonicalRequest(parts: {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  signedHeaders: readonly string[];
  payloadHash: string;
}): string {
  const byName = new Map<string, string>();
  for (const [name, value] of Object.entries(parts.headers)) byName.set(name.toLowerCase(), value);
  const signed = normalizeSignedHeaders(parts.signedHeaders);
  const headerBlock = signed.map((name) => `${name}:${normalizeHeaderValue(byName.get(name) ?? "")}\n`).join("");
  return [
    parts.method,
    canonicalUriFromWire(parts.path),
    canonicalQueryString(parts.query),
    headerBlock,
    signed.join(";"),
    parts.payloadHash,
  ].join("\n");
}
