import { GeminiDbError } from "./errors.js";

const encoder = new TextEncoder();

function subtle(): SubtleCrypto {
  const found = globalThis.crypto?.subtle;
  if (found === undefined) throw new GeminiDbError("Web Crypto (globalThis.crypto.subtle) is not available in this runtime.");
  return found;
}

function toBytes(data: string | Uint8Array): Uint8Array<ArrayBuffer> {
  if (typeof data === "string") return encoder.encode(data);
  // Copy into a plain ArrayBuffer: Web Crypto refuses views over SharedArrayBuffer.
  const copy = new Uint8Array(data.byteLength);
  copy.set(data);
  return copy;
}

function hex(buffer: ArrayBuffer): string {
  let out = "";
  for (const byte of new Uint8Array(buffer)) out += byte.toString(16).padStart(2, "0");
  return out;
}

/**
 * Lower-case hex SHA-256 of a string (as UTF-8) or bytes, with Web Crypto.
 *
 * @example
 * await sha256Hex(""); // "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
 */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  return hex(await subtle().digest("SHA-256", toBytes(data)));
}

/** Lower-case hex HMAC-SHA256 of `data` keyed with `key` (both as UTF-8). */
export async function hmacSha256Hex(key: string, data: string): Promise<string> {
  const cryptoKey = await subtle().importKey("raw", toBytes(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return hex(await subtle().sign("HMAC", cryptoKey, toBytes(data)));
}

/** Compares two strings in time that depends only on their length. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
