import { authProfile } from "@geminidb-sessions/validation";

/*
 * The authentication profile, as the spec states it (security schemes
 * `iamToken`, `akskSignature` and its `x-signing` extension), generated into
 * the validation package. Named here for the modules that sign and verify.
 */

/** The algorithm name that starts the string to sign and the Authorization header. */
export const SIGNING_ALGORITHM: string = authProfile.algorithm;
/** The header carrying the signing time. */
export const DATE_HEADER: string = authProfile.dateHeader;
/** The header naming the project of a project-scoped credential. */
export const PROJECT_HEADER: string = authProfile.projectHeader;
/** The header carrying the security token of temporary credentials. */
export const SECURITY_TOKEN_HEADER: string = authProfile.securityTokenHeader;
/** Headers never signed (lower case). */
export const UNSIGNED_HEADERS: readonly string[] = authProfile.unsignedHeaders.map((name) => name.toLowerCase());
/** How far X-Sdk-Date may be from the verifier's clock. */
export const MAX_CLOCK_SKEW_SECONDS: number = authProfile.maxClockSkewSeconds;
/** The header an IAM token travels in. */
export const TOKEN_HEADER: string = authProfile.tokenHeader;
