/*
 * `@geminidb-sessions/core/server`: what a server needs to check an SDK-HMAC-SHA256
 * signature the way the gateway does (the emulator uses it; so can a test double or a
 * gateway stand-in). Kept off the main entry, so a client bundle never carries the
 * verifier and its canonicalisation helpers as public API; the signer itself shares
 * `canonical.ts` internally.
 */
export { canonicalQueryString, canonicalRequest, canonicalUri } from "./canonical.js";
export { type ReceivedRequest, type VerifyFailure, verifySignature } from "./verify.js";
