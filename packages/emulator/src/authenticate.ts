import { parseAuthorization } from "@geminidb-sessions/core";
import { type ReceivedRequest, verifySignature } from "@geminidb-sessions/core/server";
import { authProfile, isIamToken } from "@geminidb-sessions/validation";
import { sameSecret } from "./request-guard.js";
import type { World } from "./world.js";

/** Why a request's credentials were refused (every one is answered 401 APIGW.0301). */
export type AuthFailure =
  | "no-credentials"
  | "token-malformed"
  | "token-unknown"
  | "token-expired"
  | "signature-missing"
  | "signature-malformed"
  | "signature-unknown-key"
  | "signature-clock-skew"
  | "signature-mismatch"
  | "security-token-mismatch"
  | "security-token-unsigned"
  | "project-not-in-scope";

/** A caller whose credentials verified, and the projects they may act on. */
export interface Principal {
  via: "token" | "aksk";
  /** Whether the credential is scoped to the project. */
  allows(projectId: string): boolean;
}

export type AuthResult = { ok: true; principal: Principal } | { ok: false; reason: AuthFailure };

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

/**
 * Authenticates a request as the gateway does: an `X-Auth-Token` must be well formed, known
 * and unexpired; otherwise an AK/SK signature must verify (with core's verifier) and carry
 * the pair's security token when the pair is temporary, signed like every other header (a
 * token added after signing is refused, as the vendor's SDK always signs it and the signing
 * guide leaves only `Authorization` and `User-Agent` unsigned). The principal then says which
 * projects the credential covers: the token's one project, or the pair's projects
 * narrowed by `X-Project-Id` when the request sends it.
 */
export async function authenticate(request: ReceivedRequest, world: World, now: Date): Promise<AuthResult> {
  const token = single(request.headers["x-auth-token"]);
  if (token !== undefined) {
    if (!isIamToken(token)) return { ok: false, reason: "token-malformed" };
    const found = world.tokenProject(token, now);
    if (!found.ok) return { ok: false, reason: found.reason === "expired" ? "token-expired" : "token-unknown" };
    return { ok: true, principal: { via: "token", allows: (projectId) => projectId === found.projectId } };
  }
  if (request.headers.authorization === undefined) return { ok: false, reason: "no-credentials" };
  // Core's verifier: the canonicalization the clients sign with and its clock-skew limit (the emulator has none of its own).
  const verified = await verifySignature(request, (accessKey) => world.accessKey(accessKey)?.secretKey, { now });
  if (!verified.ok) return { ok: false, reason: `signature-${verified.reason}` };
  const pair = world.accessKey(verified.accessKey);
  if (!pair) return { ok: false, reason: "signature-unknown-key" };
  if (pair.securityToken !== undefined) {
    const sent = single(request.headers["x-security-token"]);
    if (sent === undefined || !sameSecret(sent, pair.securityToken)) return { ok: false, reason: "security-token-mismatch" };
    const signedHeaders = parseAuthorization(single(request.headers.authorization) ?? "")?.signedHeaders ?? [];
    if (!signedHeaders.includes(authProfile.securityTokenHeader.toLowerCase())) return { ok: false, reason: "security-token-unsigned" };
  }
  const scopedTo = single(request.headers["x-project-id"]);
  const allows = (projectId: string) => pair.projectIds.has(projectId) && (scopedTo === undefined || scopedTo === projectId);
  return { ok: true, principal: { via: "aksk", allows } };
}
