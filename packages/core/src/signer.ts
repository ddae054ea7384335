import { isAkSkAuthorization, isSdkDate } from "@geminidb-sessions/validation";
import { canonicalRequest, normalizeSignedHeaders } from "./canonical.js";
import { hmacSha256Hex, hmacSha256HexSync, sha256Hex, sha256HexSync } from "./crypto.js";
import { ValidationError } from "./errors.js";
import { checkAccessKey, checkProjectId, checkSecretKey, checkSecurityToken } from "./input-checks.js";
import { DATE_HEADER, PROJECT_HEADER, SECURITY_TOKEN_HEADER, SIGNING_ALGORITHM, UNSIGNED_HEADERS } from "./signing-profile.js";

/** An AK/SK pair, with the security token of temporary credentials. */
export interface AkSkCredentials {
  accessKey: string;
  secretKey: string;
  securityToken?: string | undefined;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * A time as `X-Sdk-Date` wants it: UTC `YYYYMMDDTHHmmssZ`.
 *
 * @example
 * formatSdkDate(new Date("2026-11-28T09:30:00Z")); // "20261128T093000Z"
 */
export function formatSdkDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new ValidationError("date", "type", "must be a valid Date");
  return (
    `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`
  );
}

/** The time an `X-Sdk-Date` value names, or undefined when it is not a real `YYYYMMDDTHHmmssZ` time. */
export function parseSdkDate(value: string): Date | undefined {
  if (!isSdkDate(value)) return undefined;
  const field = (start: number, end: number) => Number(value.slice(start, end));
  const date = new Date(Date.UTC(field(0, 4), field(4, 6) - 1, field(6, 8), field(9, 11), field(11, 13), field(13, 15)));
  // Date.UTC rolls 2026-02-30 over to March: a value that does not round-trip is not a real time.
  return formatSdkDate(date) === value ? date : undefined;
}

/** `SDK-HMAC-SHA256\n<sdkDate>\n<hex sha256 of the canonical request>`. */
export async function stringToSign(sdkDate: string, canonicalRequestText: string): Promise<string> {
  return `${SIGNING_ALGORITHM}\n${sdkDate}\n${await sha256Hex(canonicalRequestText)}`;
}

/**
 * The signature: lower-case hex HMAC-SHA256, keyed with the SK, of the string to
 * sign built from `sdkDate` and the canonical request text.
 *
 * @example
 * const signature = await signString(sk, "20261128T093000Z", canonicalRequest({ ... }));
 */
export async function signString(secretKey: string, sdkDate: string, canonicalRequestText: string): Promise<string> {
  return signSync(secretKey, sdkDate, canonicalRequestText) ?? hmacSha256Hex(secretKey, await stringToSign(sdkDate, canonicalRequestText));
}

/** `signString` without a promise where node:crypto is available; undefined elsewhere. */
function signSync(secretKey: string, sdkDate: string, canonicalRequestText: string): string | undefined {
  const hash = sha256HexSync(canonicalRequestText);
  return hash === undefined ? undefined : hmacSha256HexSync(secretKey, `${SIGNING_ALGORITHM}\n${sdkDate}\n${hash}`);
}

/** The SHA-256 of no bytes: the payload hash of every request without a body (the known-answer signatures pin it). */
const EMPTY_PAYLOAD_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** The request to sign: `url` is the exact URL that will be fetched. */
export interface SignableRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/**
 * Signs a request with SDK-HMAC-SHA256 and returns the headers to add to it:
 * `X-Sdk-Date`, `Host`, `X-Project-Id` (with `options.projectId`),
 * `X-Security-Token` (with temporary credentials) and `Authorization`. Every
 * header of the request is signed except `Authorization` and `User-Agent`, so
 * add no other header after signing. The path and query signed are those of
 * `new URL(url)`, which is what fetch puts on the wire.
 *
 * @example
 * const added = await signRequest(
 *   { method: "DELETE", url: "https://gaussdb-nosql.cn-north-4.myhuaweicloud.com/v3/.../sessions", headers: {} },
 *   { accessKey: "AK", secretKey: "SK" },
 *   { projectId: "619d3e78f61b4be68bc5aa0b59edcf7b" },
 * );
 * await fetch(url, { method: "DELETE", headers: added });
 */
export async function signRequest(
  request: SignableRequest,
  credentials: AkSkCredentials,
  options: { date?: Date; projectId?: string } = {},
): Promise<Record<string, string>> {
  const accessKey = checkAccessKey(credentials.accessKey);
  const secretKey = checkSecretKey(credentials.secretKey);
  const securityToken = credentials.securityToken === undefined ? undefined : checkSecurityToken(credentials.securityToken);
  const projectId = options.projectId === undefined ? undefined : checkProjectId(options.projectId);
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    throw new ValidationError("url", "format", "must be an absolute URL");
  }

  const added: Record<string, string> = { [DATE_HEADER]: formatSdkDate(options.date ?? new Date()), Host: url.host };
  if (projectId !== undefined) added[PROJECT_HEADER] = projectId;
  if (securityToken !== undefined) added[SECURITY_TOKEN_HEADER] = securityToken;

  const merged = new Map<string, string>();
  const put = (name: string, value: string, combine: boolean) => {
    const lower = name.toLowerCase();
    const previous = merged.get(lower);
    merged.set(lower, combine && previous !== undefined ? `${previous}, ${value}` : value);
  };
  for (const [name, value] of Object.entries(request.headers)) put(name, value, true);
  for (const [name, value] of Object.entries(added)) put(name, value, false);

  const signedHeaders = normalizeSignedHeaders([...merged.keys()].filter((name) => !UNSIGNED_HEADERS.includes(name)));
  const canonical = canonicalRequest({
    method: request.method,
    path: url.pathname,
    query: url.search.slice(1),
    headers: Object.fromEntries(merged),
    signedHeaders,
    payloadHash:
      request.body === undefined || request.body.length === 0
        ? EMPTY_PAYLOAD_HASH
        : (sha256HexSync(request.body) ?? (await sha256Hex(request.body))),
  });
  const sdkDate = added[DATE_HEADER] as string;
  const signature = signSync(secretKey, sdkDate, canonical) ?? (await signString(secretKey, sdkDate, canonical));
  added.Authorization = `${SIGNING_ALGORITHM} Access=${accessKey}, SignedHeaders=${signedHeaders.join(";")}, Signature=${signature}`;
  return added;
}

/**
 * Reads an `Authorization: SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…`
 * header; undefined when it is not one.
 *
 * @example
 * parseAuthorization("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=ab…");
 * // { accessKey: "AK", signedHeaders: ["host", "x-sdk-date"], signature: "ab…" }
 */
export function parseAuthorization(value: string): { accessKey: string; signedHeaders: string[]; signature: string } | undefined {
  // The spec's AkSkAuthorization schema fixes the format; after it passes, splitting is enough.
  if (!isAkSkAuthorization(value)) return undefined;
  const fields = new Map<string, string>();
  for (const part of value.slice(`${SIGNING_ALGORITHM} `.length).split(", ")) {
    const eq = part.indexOf("=");
    fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const accessKey = fields.get("Access");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (accessKey === undefined || signedHeaders === undefined || signature === undefined) return undefined;
  return { accessKey, signedHeaders: signedHeaders.split(";"), signature };
}
