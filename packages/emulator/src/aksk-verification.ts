import { verifySignature } from "@geminidb-sessions/core/server";

/** A request as the API server received it, for signature checking. */
export interface SignedRequest {
  method: string;
  rawTarget: string;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

/**
 * Checks an AK/SK signature with core's verifier: the same canonicalization the clients
 * sign with, and its clock-skew limit. The emulator has no canonicalization of its own.
 */
export function verifyAkSkSignature(request: SignedRequest, lookupSecret: (accessKey: string) => string | undefined, now: Date) {
  return verifySignature(request, lookupSecret, { now });
}
