import { CredentialsError, ValidationError } from "./errors.js";
import { checkAccessKey, checkIamToken, checkProjectId, checkSecretKey, checkSecurityToken } from "./input-checks.js";
import { denoInspect, nodeInspect } from "./inspect.js";
import { REDACTED } from "./redact.js";
import type { AkSkCredentials } from "./signer.js";

/** Returns a fresh IAM token (the `X-Subject-Token` of IAM's `POST /v3/auth/tokens`). */
export type TokenProvider = () => Promise<string>;

/** Authenticate with an IAM token in `X-Auth-Token`: a fixed string, or a provider asked when needed. */
export interface TokenCredentials {
  token: string | TokenProvider;
}

/** What `credentials` accepts: an IAM token, or an AK/SK pair (with a security token for temporary ones). */
export type Credentials = TokenCredentials | AkSkCredentials;

/**
 * A token credential that never shows its secret: `JSON.stringify`, `String()`
 * and `util.inspect` render `***`. A provider is called lazily, its token
 * cached and shared by concurrent callers (one call in flight at a time), and
 * asked again after `invalidate`.
 */
export class TokenSource {
  readonly kind = "token";
  #token: string | undefined;
  #provider: TokenProvider | undefined;
  #pending: Promise<string> | undefined;
  #current: string | undefined;

  constructor(token: string | TokenProvider) {
    if (typeof token === "function") this.#provider = token;
    else this.#token = checkIamToken(token);
  }

  /** True when a provider can be asked for a new token. */
  get refreshable(): boolean {
    return this.#provider !== undefined;
  }

  /** The token to send: the fixed one, the cached one, or the result of the one provider call in flight. */
  token(): Promise<string> {
    if (this.#token !== undefined) return Promise.resolve(this.#token);
    if (this.#pending === undefined) {
      const provider = this.#provider as TokenProvider;
      const pending = (async () => {
        let value: unknown;
        try {
          value = await provider();
        } catch (cause) {
          throw new CredentialsError("The token provider failed; see `cause`.", { cause });
        }
        const token = checkIamToken(value);
        this.#current = token;
        return token;
      })();
      this.#pending = pending;
      // A failed call is not cached: the next request asks the provider again.
      pending.catch(() => {
        if (this.#pending === pending) this.#pending = undefined;
      });
    }
    return this.#pending;
  }

  /**
   * Drops the cached token if it is still `refused` (a concurrent caller may have refreshed it already).
   * Returns whether a provider will be asked again.
   */
  invalidate(refused: string): boolean {
    if (this.#provider === undefined) return false;
    if (this.#current === refused) {
      this.#current = undefined;
      this.#pending = undefined;
    }
    return true;
  }

  /** Every secret value known now, for masking in bodies and messages. */
  secrets(): string[] {
    return [this.#token, this.#current].filter((value): value is string => value !== undefined);
  }

  toJSON(): Record<string, string> {
    return { type: "token", token: REDACTED };
  }
  toString(): string {
    return `TokenCredentials { token: ${REDACTED} }`;
  }
  [nodeInspect](): string {
    return this.toString();
  }
  [denoInspect](): string {
    return this.toString();
  }
}

/**
 * An AK/SK credential that never shows its secrets: the keys are private fields
 * behind getters, and `JSON.stringify`, `String()` and `util.inspect` render `***`.
 */
export class AkSkSource {
  readonly kind = "aksk";
  #accessKey: string;
  #secretKey: string;
  #securityToken: string | undefined;

  constructor(credentials: AkSkCredentials, fieldPrefix = "credentials") {
    this.#accessKey = checkAccessKey(credentials.accessKey, `${fieldPrefix}.accessKey`);
    this.#secretKey = checkSecretKey(credentials.secretKey, `${fieldPrefix}.secretKey`);
    this.#securityToken =
      credentials.securityToken === undefined ? undefined : checkSecurityToken(credentials.securityToken, `${fieldPrefix}.securityToken`);
  }

  get accessKey(): string {
    return this.#accessKey;
  }
  get secretKey(): string {
    return this.#secretKey;
  }
  get securityToken(): string | undefined {
    return this.#securityToken;
  }

  /** The plain `{ accessKey, secretKey, securityToken? }` the signer takes. */
  toCredentials(): AkSkCredentials {
    return this.#securityToken === undefined
      ? { accessKey: this.#accessKey, secretKey: this.#secretKey }
      : { accessKey: this.#accessKey, secretKey: this.#secretKey, securityToken: this.#securityToken };
  }

  /** Every secret value, for masking in bodies and messages. */
  secrets(): string[] {
    return this.#securityToken === undefined ? [this.#secretKey] : [this.#secretKey, this.#securityToken];
  }

  toJSON(): Record<string, string> {
    const out: Record<string, string> = { type: "aksk", accessKey: REDACTED, secretKey: REDACTED };
    if (this.#securityToken !== undefined) out.securityToken = REDACTED;
    return out;
  }
  toString(): string {
    const token = this.#securityToken === undefined ? "" : `, securityToken: ${REDACTED}`;
    return `AkSkCredentials { accessKey: ${REDACTED}, secretKey: ${REDACTED}${token} }`;
  }
  [nodeInspect](): string {
    return this.toString();
  }
  [denoInspect](): string {
    return this.toString();
  }
}

/** A credential checked and wrapped so it never shows its secrets. */
export type CredentialSource = TokenSource | AkSkSource;

/**
 * Checks `credentials` (no control characters, no CR/LF: nothing that could split
 * a header) and wraps them so they never print. Throws `ValidationError` naming
 * the field, never its value. Already-wrapped credentials are returned as is.
 *
 * @example
 * const safe = protectCredentials({ accessKey: "AK", secretKey: "SK" });
 * JSON.stringify(safe); // {"type":"aksk","accessKey":"***","secretKey":"***"}
 */
export function protectCredentials(credentials: unknown, field = "credentials"): CredentialSource {
  if (credentials instanceof TokenSource || credentials instanceof AkSkSource) return credentials;
  if (typeof credentials !== "object" || credentials === null) {
    throw new ValidationError(field, "required", "must be { token } or { accessKey, secretKey, securityToken? }");
  }
  const record = credentials as Record<string, unknown>;
  const hasToken = record.token !== undefined;
  const hasAkSk = record.accessKey !== undefined || record.secretKey !== undefined;
  if (hasToken && hasAkSk) throw new ValidationError(field, "oneOf", "give either a token or an AK/SK pair, not both");
  if (hasToken) {
    if (typeof record.token !== "function") checkIamToken(record.token, `${field}.token`);
    return new TokenSource(record.token as string | TokenProvider);
  }
  if (hasAkSk) return new AkSkSource(record as unknown as AkSkCredentials, field);
  throw new ValidationError(field, "required", "must be { token } or { accessKey, secretKey, securityToken? }");
}

/** The environment variables `credentialsFromEnv` reads, as the vendor's tools name them. */
export const credentialEnvVars = {
  accessKey: "HUAWEICLOUD_SDK_AK",
  secretKey: "HUAWEICLOUD_SDK_SK",
  securityToken: "HUAWEICLOUD_SDK_SECURITY_TOKEN",
  projectId: "HUAWEICLOUD_SDK_PROJECT_ID",
} as const;

function processEnv(): Record<string, string | undefined> {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return process?.env ?? {};
}

/**
 * Reads AK/SK credentials and the project ID from the vendor's variables:
 * `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK` (both required),
 * `HUAWEICLOUD_SDK_SECURITY_TOKEN` and `HUAWEICLOUD_SDK_PROJECT_ID` (optional).
 * `env` defaults to `process.env` where there is one. A missing or malformed
 * variable throws `ValidationError` whose `field` is the variable's name; no
 * value is ever printed. The credentials returned never show their secrets.
 *
 * @example
 * const { credentials, projectId } = credentialsFromEnv();
 * const client = createSessionsClient({ region: "cn-north-4", credentials, projectId });
 */
export function credentialsFromEnv(env: Record<string, string | undefined> = processEnv()): {
  credentials: AkSkCredentials;
  projectId?: string;
} {
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value === "" ? undefined : value;
  };
  const accessKey = read(credentialEnvVars.accessKey);
  const secretKey = read(credentialEnvVars.secretKey);
  if (accessKey === undefined) throw new ValidationError(credentialEnvVars.accessKey, "required", "is not set");
  if (secretKey === undefined) throw new ValidationError(credentialEnvVars.secretKey, "required", "is not set");
  const securityToken = read(credentialEnvVars.securityToken);
  const projectId = read(credentialEnvVars.projectId);
  checkAccessKey(accessKey, credentialEnvVars.accessKey);
  checkSecretKey(secretKey, credentialEnvVars.secretKey);
  if (securityToken !== undefined) checkSecurityToken(securityToken, credentialEnvVars.securityToken);
  const source = new AkSkSource(securityToken === undefined ? { accessKey, secretKey } : { accessKey, secretKey, securityToken });
  // AkSkSource exposes the three fields through getters, so it is an AkSkCredentials at run time.
  const credentials = source as unknown as AkSkCredentials;
  return projectId === undefined ? { credentials } : { credentials, projectId: checkProjectId(projectId, credentialEnvVars.projectId) };
}
