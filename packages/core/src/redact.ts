/** The mask that replaces every secret this library knows about. */
export const REDACTED = "***";

/** Header names whose values are credentials (lower case). */
const sensitiveHeaders = new Set(["x-auth-token", "authorization", "x-security-token", "proxy-authorization", "cookie", "set-cookie"]);

/** Headers in any of the shapes fetch, node:http or a plain object use. */
export type HeadersLike = Headers | Iterable<readonly [string, string]> | Record<string, string | readonly string[] | undefined>;

function entriesOf(headers: HeadersLike): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (typeof Headers !== "undefined" && headers instanceof Headers) {
    headers.forEach((value, name) => {
      out.push([name, value]);
    });
    return out;
  }
  if (Symbol.iterator in headers) {
    for (const [name, value] of headers as Iterable<readonly [string, string]>) out.push([name, value]);
    return out;
  }
  for (const [name, value] of Object.entries(headers as Record<string, string | readonly string[] | undefined>)) {
    if (value === undefined) continue;
    out.push([name, typeof value === "string" ? value : value.join(", ")]);
  }
  return out;
}

/**
 * A copy of `headers` safe to log: lower-case names, and the values of
 * `X-Auth-Token`, `Authorization`, `X-Security-Token` (and cookies) replaced by `***`.
 *
 * @example
 * redactHeaders({ "X-Auth-Token": "MII...", Accept: "application/json" });
 * // { "x-auth-token": "***", accept: "application/json" }
 */
export function redactHeaders(headers: HeadersLike): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of entriesOf(headers)) {
    const lower = name.toLowerCase();
    out[lower] = sensitiveHeaders.has(lower) ? REDACTED : value;
  }
  return out;
}

/** `text` with every occurrence of each secret replaced by `***` (for bodies and messages that might echo one). */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    // Very short strings are not credentials (the validators require more); masking them would garble text.
    if (secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
  }
  return out;
}
