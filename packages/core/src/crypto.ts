import { GeminiDbError } from "./errors.js";
import { encoder } from "./text.js";

/*
 * SHA-256 and HMAC-SHA256 for the signer. Where the runtime has node:crypto
 * (Node 20.16+, Bun, Deno: `process.getBuiltinModule`), it is used: synchronous
 * and about 40 times cheaper per signature than Web Crypto. It is looked up at
 * run time, never imported, so browsers and edge bundles never see it; there
 * Web Crypto (`globalThis.crypto.subtle`) does the work. Both give the same bytes.
 */

/** The part of node:crypto the signer uses (typed here so nothing imports node types). */
interface NodeCrypto {
  createHash(algorithm: "sha256"): NodeDigest;
  createHmac(algorithm: "sha256", key: NodeKey): NodeDigest;
  createSecretKey(key: Uint8Array): NodeKey;
}
interface NodeDigest {
  update(data: string | Uint8Array, encoding?: "utf8"): NodeDigest;
  digest(encoding: "hex"): string;
}
type NodeKey = object;

/** Which implementation signs: `node` (node:crypto) or `web` (Web Crypto). */
export type CryptoBackend = "node" | "web";

function findNodeCrypto(): NodeCrypto | undefined {
  const scope = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } };
  try {
    const found = scope.process?.getBuiltinModule?.("node:crypto") as Partial<NodeCrypto> | undefined;
    const complete =
      typeof found?.createHash === "function" && typeof found.createHmac === "function" && typeof found.createSecretKey === "function";
    return complete ? (found as NodeCrypto) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * node:crypto, or undefined for Web Crypto; null until first needed. Looked up on the first hash
 * or signature rather than when this module loads: loading node:crypto is about 4 ms of CPU that
 * importing a client would otherwise pay before it signs anything.
 */
let chosen: NodeCrypto | undefined | null = null;

function nodeCrypto(): NodeCrypto | undefined {
  if (chosen === null) chosen = findNodeCrypto();
  return chosen;
}

/**
 * Chooses the implementation: `"auto"` (the default) is node:crypto where the
 * runtime has it, else Web Crypto. For tests that check both give the same bytes.
 * @internal
 */
export function selectCryptoBackend(choice: CryptoBackend | "auto"): CryptoBackend {
  chosen = choice === "web" ? undefined : findNodeCrypto();
  if (choice === "node" && chosen === undefined) throw new GeminiDbError("node:crypto is not available in this runtime.");
  keys.clear();
  return cryptoBackend();
}

/** The implementation in use. */
export function cryptoBackend(): CryptoBackend {
  return nodeCrypto() === undefined ? "web" : "node";
}

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
 * HMAC keys by secret, so a client signing call after call imports (Web Crypto)
 * or wraps (node:crypto) its SK once. Bounded: the oldest key goes first. The
 * map is module-private and never printed.
 */
const keys = new Map<string, NodeKey | Promise<CryptoKey>>();
const MAX_KEYS = 16;

function cachedKey<K extends NodeKey | Promise<CryptoKey>>(secret: string, make: () => K): K {
  const found = keys.get(secret);
  if (found !== undefined) return found as K;
  const made = make();
  if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value as string);
  keys.set(secret, made);
  return made;
}

/**
 * Lower-case hex SHA-256 of a string (as UTF-8) or bytes; synchronous with
 * node:crypto, undefined where only Web Crypto is available.
 * @internal
 */
export function sha256HexSync(data: string | Uint8Array): string | undefined {
  return nodeCrypto()?.createHash("sha256").update(data, "utf8").digest("hex");
}

/**
 * Lower-case hex HMAC-SHA256 of `data` keyed with `key` (both as UTF-8);
 * synchronous with node:crypto, undefined where only Web Crypto is available.
 * @internal
 */
export function hmacSha256HexSync(key: string, data: string): string | undefined {
  const found = nodeCrypto();
  if (found === undefined) return undefined;
  const keyObject = cachedKey(key, () => found.createSecretKey(encoder.encode(key)));
  return found.createHmac("sha256", keyObject).update(data, "utf8").digest("hex");
}

/**
 * Lower-case hex SHA-256 of a string (as UTF-8) or bytes: node:crypto where the
 * runtime has it, else Web Crypto.
 *
 * @example
 * await sha256Hex(""); // "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
 */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  return sha256HexSync(data) ?? hex(await subtle().digest("SHA-256", toBytes(data)));
}

/** Lower-case hex HMAC-SHA256 of `data` keyed with `key` (both as UTF-8). */
export async function hmacSha256Hex(key: string, data: string): Promise<string> {
  const sync = hmacSha256HexSync(key, data);
  if (sync !== undefined) return sync;
  const cryptoKey = cachedKey(key, () =>
    subtle().importKey("raw", toBytes(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]),
  ) as Promise<CryptoKey>;
  let imported: CryptoKey;
  try {
    imported = await cryptoKey;
  } catch (error) {
    keys.delete(key);
    throw error;
  }
  return hex(await subtle().sign("HMAC", imported, toBytes(data)));
}

/** Compares two strings in time that depends only on their length. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
