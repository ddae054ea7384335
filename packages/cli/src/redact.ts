/** What every secret is replaced with in output. */
export const MASK = "***";

/** Header values that are credentials, whole (lower-case names). */
const secretHeaders = new Set(["x-auth-token", "x-security-token", "proxy-authorization", "cookie"]);

/** `text` with every occurrence of each secret replaced by `***`. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a secret containing another is masked whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length > 0) out = out.split(secret).join(MASK);
  }
  return out;
}

/**
 * Headers as a dry run shows them: lower-case names in order, token headers masked
 * whole, and in `Authorization` the access key masked while `SignedHeaders` and
 * `Signature` stay visible (a signature reveals nothing about the secret key, and is
 * what a reader wants to see). Any known secret left anywhere is masked too.
 *
 * @example
 * maskHeaders(new Headers({ "X-Auth-Token": "MII…" }), []); // { "x-auth-token": "***" }
 */
export function maskHeaders(headers: Headers, secrets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const names: string[] = [];
  headers.forEach((_value, name) => {
    names.push(name);
  });
  for (const name of names.sort()) {
    const value = headers.get(name) ?? "";
    if (secretHeaders.has(name)) out[name] = MASK;
    else if (name === "authorization") out[name] = maskSecrets(value.replace(/Access=[^,\s]*/, `Access=${MASK}`), secrets);
    else out[name] = maskSecrets(value, secrets);
  }
  return out;
}
