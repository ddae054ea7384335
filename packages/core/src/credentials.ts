import { CredentialsError, ValidationError } from "./errors.js";
import { checkAccessKey, checkIamToken, checkProjectId, checkSecretKey, checkSecurityToken } from "./input-checks.js";
import { denoInspect, nodeInspect } from "./inspect.js";
import { REDACTED, scrubSecrets } from "./redact.js";
import type { AkSkCredentials } from "./signer.js";

/**
 * Runs a credential check and makes sure its `ValidationError` quotes nothing
 * of the value: a message with a quote in it (the validation package quotes
 * values it does not know to be secret, such as an access key) is replaced by
 * one naming only the field and the rule.
 */
function checkCredential(check: (value: unknown, field: string) => string, value: unknown, field: string): string {
  try {
    return check(value, field);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const safe = (message: string, path: string, rule: string) =>
      /["'`]/.test(message) ? `${path}: does not have the required format (${rule}); a credential is never shown` : message;
    const issues = error.issues.map((issue) => ({ ...issue, message: safe(issue.message, issue.path, issue.rule) }));
    throw new ValidationError(field, error.rule, safe(error.message, field, error.rule), issues);
  }
}

/** Returns a fresh IAM token (the `X-Subject-Token` of IAM's `POST /v3/auth/tokens`). */
export type TokenProvider = () => Promise<string>;

/** Authenticate with an IAM token in `X-Auth-Token`: a fixed string, or a provider asked when needed. */
export interface TokenCredentials {
  token: string | TokenProvider;
}

/** What `credentials` accepts: an IAM token, or an AK/SK pair (with a security token for temporary ones). */
export type Credentials = TokenCredentials | AkSkCredentials;

/** How many tokens a provider returned are remembered (for masking) after they were dropped. */
const REMEMBERED_TOKENS = 8;
/** The longest part of a provider's failure quoted in `CredentialsError`'s message. */
const MAX_CAUSE_CHARS = 300;

/**
 * A copy of `value` (what a token provider threw) with every secret masked:
 * an `Error` keeps its class name, message, stack, string/number/boolean own
 * properties (such as `code`) and nested causes, masked; a string is masked;
 * anything else becomes its masked JSON text.
 */
export function scrubbedCopy(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === "string") return scrubSecrets(value, secrets);
  if (value === null || typeof value !== "object") return typeof value === "function" ? undefined : value;
  if (!(value instanceof Error)) {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch {
      text = undefined;
    }
    return text === undefined ? undefined : scrubSecrets(text, secrets);
  }
  const copy = new Error(scrubSecrets(String(value.message), secrets));
  if (value.name !== "Error")
    Object.defineProperty(copy, "name", { value: scrubSecrets(String(value.name), secrets), configurable: true, writable: true });
  if (typeof value.stack === "string") copy.stack = scrubSecrets(value.stack, secrets);
  else delete copy.stack;
  for (const key of Object.keys(value)) {
    if (key === "cause" || key === "message" || key === "stack" || key === "name") continue;
    const field = (value as unknown as Record<string, unknown>)[key];
    if (typeof field === "string") (copy as unknown as Record<string, unknown>)[key] = scrubSecrets(field, secrets);
    else if (typeof field === "number" || typeof field === "boolean") (copy as unknown as Record<string, unknown>)[key] = field;
  }
  if (value.cause !== undefined && depth < 4) copy.cause = scrubbedCopy(value.cause, secrets, depth + 1);
  return copy;
}

/** The text of a provider's failure for a message: one line, masked, cut short. */
function causeText(scrubbed: unknown): string {
  const raw = scrubbed instanceof Error ? scrubbed.message : typeof scrubbed === "string" ? scrubbed : "";
  let flat = "";
  for (const char of raw) flat += (char.codePointAt(0) ?? 0) < 0x20 || char === "\u007f" ? " " : char;
  flat = flat.replace(/\s+/g, " ").trim();
  return flat.length > MAX_CAUSE_CHARS ? `${flat.slice(0, MAX_CAUSE_CHARS)}…` : flat;
}

/**
 * A token credential that never shows its secret: `JSON.stringify`, `String()`
 * and `util.inspect` render `***`. A provider is called lazily, its token
 * cached and shared by concurrent callers (one call in flight at a time), and
 * asked again after `invalidate`, after a failure, and after a call every
 * waiter gave up on (each timed out or was aborted): a provider that never
 * settles cannot stall later requests.
 */
export class TokenSource {
  readonly kind = "token";
  #token: string | undefined;
  #provider: TokenProvider | undefined;
  #pending: Promise<string> | undefined;
  #pendingSettled = false;
  /** Callers still waiting for the call in flight (a caller without a signal never stops waiting). */
  #waiting = 0;
  #current: string | undefined;
  /** Tokens the provider returned, newest last (masked wherever a server might echo them, also after they were dropped). */
  #seen: string[] = [];

  constructor(token: string | TokenProvider) {
    if (typeof token === "function") this.#provider = token;
    else this.#token = checkCredential(checkIamToken, token, "credentials.token");
  }

  /** True when a provider can be asked for a new token. */
  get refreshable(): boolean {
    return this.#provider !== undefined;
  }

  /**
   * The token to send: the fixed one, the cached one, or the result of the one
   * provider call in flight. When the `signal` of every caller waiting for that
   * call has aborted (a timeout or the caller's abort) while it still runs, the
   * call is abandoned: the next `token()` asks the provider again.
   */
  token(signal?: AbortSignal): Promise<string> {
    if (this.#token !== undefined) return Promise.resolve(this.#token);
    const pending = this.#pending ?? this.#ask();
    if (this.#pendingSettled) return pending;
    this.#waiting++;
    if (signal !== undefined) {
      let left = false;
      const leave = () => {
        if (left) return;
        left = true;
        if (this.#pending !== pending || this.#pendingSettled) return;
        this.#waiting--;
        // Nobody waits for this call any more: forget it, so the next caller asks the provider again.
        if (this.#waiting === 0) this.#pending = undefined;
      };
      if (signal.aborted) leave();
      else {
        signal.addEventListener("abort", leave, { once: true });
        const detach = () => signal.removeEventListener("abort", leave);
        pending.then(detach, detach);
      }
    }
    return pending;
  }

  #ask(): Promise<string> {
    const provider = this.#provider as TokenProvider;
    let pending: Promise<string> | undefined;
    pending = (async () => {
      let value: unknown;
      try {
        value = await provider();
      } catch (cause) {
        const scrubbed = scrubbedCopy(cause, this.secrets());
        const text = causeText(scrubbed);
        throw new CredentialsError(`The token provider failed${text === "" ? "" : `: ${text}`} (see \`cause\`).`, { cause: scrubbed });
      }
      const token = checkCredential(checkIamToken, value, "credentials.token");
      this.#seen = [...this.#seen.filter((seen) => seen !== token), token].slice(-REMEMBERED_TOKENS);
      if (this.#pending === pending) this.#current = token;
      return token;
    })();
    const asked = pending;
    this.#pending = asked;
    this.#pendingSettled = false;
    this.#waiting = 0;
    const settle = () => {
      if (this.#pending === asked) this.#pendingSettled = true;
    };
    // A failed call is not cached: the next request asks the provider again.
    asked.then(settle, () => {
      if (this.#pending === asked) this.#pending = undefined;
    });
    return asked;
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
      this.#pendingSettled = false;
    }
    return true;
  }

  /** Every secret value known: the fixed token, or the tokens the provider returned lately (also dropped ones), for masking. */
  secrets(): string[] {
    return this.#token === undefined ? [...this.#seen] : [this.#token];
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
    this.#accessKey = checkCredential(checkAccessKey, credentials.accessKey, `${fieldPrefix}.accessKey`);
    this.#secretKey = checkCredential(checkSecretKey, credentials.secretKey, `${fieldPrefix}.secretKey`);
    this.#securityToken =
      credentials.securityToken === undefined
        ? undefined
        : checkCredential(checkSecurityToken, credentials.securityToken, `${fieldPrefix}.securityToken`);
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
    if (typeof record.token !== "function") checkCredential(checkIamToken, record.token, `${field}.token`);
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
  checkCredential(checkAccessKey, accessKey, credentialEnvVars.accessKey);
  checkCredential(checkSecretKey, secretKey, credentialEnvVars.secretKey);
  if (securityToken !== undefined) checkCredential(checkSecurityToken, securityToken, credentialEnvVars.securityToken);
  const source = new AkSkSource(securityToken === undefined ? { accessKey, secretKey } : { accessKey, secretKey, securityToken });
  // AkSkSource exposes the three fields through getters, so it is an AkSkCredentials at run time.
  const credentials = source as unknown as AkSkCredentials;
  return projectId === undefined ? { credentials } : { credentials, projectId: checkProjectId(projectId, credentialEnvVars.projectId) };
}
