import { oneLine } from "./error-response.js";
import { CredentialsError, ValidationError } from "./errors.js";
import { checkAccessKey, checkIamToken, checkSecretKey, checkSecurityToken, refuseUnknownKeys } from "./input-checks.js";
import { inspectWith, REDACTED, scrubSecrets } from "./redact.js";
import type { AkSkCredentials } from "./signer.js";

/**
 * Runs a credential check and makes sure its `ValidationError` quotes nothing
 * of the value: a message with a quote in it (the validation package quotes
 * values it does not know to be secret, such as an access key) is replaced by
 * one naming only the field and the rule.
 */
export function checkCredential(check: (value: unknown, field: string) => string, value: unknown, field: string): string {
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
  accessKey?: never;
  secretKey?: never;
  securityToken?: never;
  provider?: never;
}

/** A fixed AK/SK pair (with the security token of temporary credentials). */
export interface StaticAkSkCredentials extends AkSkCredentials {
  token?: never;
  provider?: never;
}

/**
 * What an `AkSkProvider` returns: temporary AK/SK credentials (IAM's
 * `POST /v3.0/OS-CREDENTIAL/securitytokens` answers `access`, `secret`,
 * `securitytoken` and `expires_at`). `expiresAt` is a `Date`, ms since the epoch,
 * or an ISO 8601 string; without it the credentials are kept until the gateway
 * refuses them.
 */
export interface TemporaryAkSk {
  accessKey: string;
  secretKey: string;
  securityToken?: string | undefined;
  expiresAt?: Date | number | string | undefined;
}

/** Returns fresh temporary AK/SK credentials. */
export type AkSkProvider = () => Promise<TemporaryAkSk>;

/**
 * AK/SK credentials asked of a provider when needed: before the first request,
 * `AKSK_REFRESH_MARGIN_MS` before `expiresAt`, and once when the gateway refuses
 * the signature (401 `APIGW.0301`). One provider call is in flight at a time.
 */
export interface AkSkProviderCredentials {
  provider: AkSkProvider;
  token?: never;
  accessKey?: never;
  secretKey?: never;
  securityToken?: never;
}

/**
 * What `credentials` accepts, exactly one of: an IAM token (`{ token }`, a string or a
 * provider), a fixed AK/SK pair (`{ accessKey, secretKey, securityToken? }`), or a
 * provider of temporary AK/SK (`{ provider }`). Mixing them does not type-check (and is
 * refused at run time).
 */
export type Credentials = TokenCredentials | StaticAkSkCredentials | AkSkProviderCredentials;

/** How long before `expiresAt` temporary AK/SK credentials are asked for again: 5 minutes. */
export const AKSK_REFRESH_MARGIN_MS: number = 5 * 60_000;

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

/**
 * The text of a provider's failure for a message: one line, masked, cut short. It follows
 * the `cause` chain (a `fetch failed` says why in its cause) and adds a `code`, so the
 * message says what went wrong without opening `cause`.
 */
export function causeText(scrubbed: unknown): string {
  const parts: string[] = [];
  let current: unknown = scrubbed;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    const message = current instanceof Error ? current.message : typeof current === "string" ? current : "";
    const code = current instanceof Error ? (current as { code?: unknown }).code : undefined;
    let part = message;
    if (current instanceof Error && current.name !== "Error" && current.name !== "TypeError" && message !== "")
      part = `${current.name}: ${message}`;
    if ((typeof code === "string" || typeof code === "number") && !message.includes(String(code))) part = `${part} (${code})`.trim();
    if (part !== "" && !parts.some((seen) => seen.includes(part))) parts.push(part);
    current = current instanceof Error ? current.cause : undefined;
  }
  // One line as error messages write one: C0 and C1 control characters (a terminal reads 0x9b as an escape) become blanks.
  return oneLine(parts.join(": "), MAX_CAUSE_CHARS);
}

/**
 * One provider call shared by concurrent callers, its result kept in `current` until dropped. The call
 * is forgotten (the next caller asks again) once it settles, and when every caller waiting for it gave
 * up while it still runs (each signal aborted: a timeout or the caller's abort), so a provider that never
 * settles cannot stall later requests. A result that arrives after that is not kept.
 */
class SharedCall<T> {
  current: T | undefined;
  readonly #ask: () => Promise<T>;
  #pending: Promise<T> | undefined;
  /** Callers still waiting for the call in flight (a caller without a signal never stops waiting). */
  #waiting = 0;

  constructor(ask: () => Promise<T>) {
    this.#ask = ask;
  }

  join(signal: AbortSignal | undefined): Promise<T> {
    let pending = this.#pending;
    if (pending === undefined) {
      const call: Promise<T> = this.#ask().then((value) => {
        if (this.#pending === call) this.current = value;
        return value;
      });
      const forget = () => {
        if (this.#pending === call) this.#pending = undefined;
      };
      call.then(forget, forget);
      pending = this.#pending = call;
      this.#waiting = 0;
    }
    const joined = pending;
    this.#waiting++;
    if (signal !== undefined) {
      const leave = () => {
        if (this.#pending !== joined) return;
        // Nobody waits for this call any more: forget it.
        if (--this.#waiting === 0) this.#pending = undefined;
      };
      if (signal.aborted) leave();
      else {
        signal.addEventListener("abort", leave, { once: true });
        const detach = () => signal.removeEventListener("abort", leave);
        joined.then(detach, detach);
      }
    }
    return joined;
  }
}

/** A provider's failure as a `CredentialsError`, its cause scrubbed of every secret known. */
function providerFailed(what: string, cause: unknown, secrets: readonly string[]): CredentialsError {
  const scrubbed = scrubbedCopy(cause, secrets);
  const text = causeText(scrubbed);
  return new CredentialsError(`The ${what} provider failed${text === "" ? " (it gave no reason)" : `: ${text}`}`, { cause: scrubbed });
}

/**
 * The token a `TokenSource` holds now, if any (the fixed one, or a provider's cached one): what `token()`
 * would resolve with at once. Internal to core (not exported by its entry points): the transport adds it
 * without waiting for a promise.
 */
export let tokenAtHand: (source: TokenSource) => string | undefined;

/**
 * A token credential that never shows its secret: `JSON.stringify`, `String()`
 * and `util.inspect` render `***`. A provider is called lazily, its token
 * cached and shared by concurrent callers (one call in flight at a time, see
 * `SharedCall`), and asked again after `invalidate` and after a failure.
 */
export class TokenSource {
  readonly kind = "token";
  #token: string | undefined;
  #provider: SharedCall<string> | undefined;
  /** Tokens the provider returned, newest last (masked wherever a server might echo them, also after they were dropped). */
  #seen: readonly string[] = [];

  constructor(token: string | TokenProvider) {
    if (typeof token === "function") this.#provider = new SharedCall(() => this.#ask(token));
    else {
      this.#token = checkCredential(checkIamToken, token, "credentials.token");
      this.#seen = [this.#token];
    }
  }

  static {
    tokenAtHand = (source) => source.#atHand;
  }

  /** The fixed token, or the provider's cached one. */
  get #atHand(): string | undefined {
    return this.#token ?? this.#provider?.current;
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
    const token = this.#atHand;
    return token !== undefined ? Promise.resolve(token) : (this.#provider as SharedCall<string>).join(signal);
  }

  async #ask(provider: TokenProvider): Promise<string> {
    let value: unknown;
    try {
      value = await provider();
    } catch (cause) {
      throw providerFailed("token", cause, this.secrets());
    }
    const token = checkCredential(checkIamToken, value, "credentials.token");
    this.#seen = [...this.#seen.filter((seen) => seen !== token), token].slice(-REMEMBERED_TOKENS);
    return token;
  }

  /**
   * Drops the cached token if it is still `refused` (a concurrent caller may have refreshed it already).
   * Returns whether a provider will be asked again.
   */
  invalidate(refused: string): boolean {
    if (this.#provider === undefined) return false;
    if (this.#provider.current === refused) this.#provider.current = undefined;
    return true;
  }

  /**
   * Every secret value known: the fixed token, or the tokens the provider returned lately (also dropped
   * ones), for masking. The same array until the set changes, so masking can reuse what it derived from it.
   */
  secrets(): readonly string[] {
    return this.#seen;
  }

  toJSON(): Record<string, string> {
    return { type: "token", token: REDACTED };
  }
  toString(): string {
    return `TokenCredentials { token: ${REDACTED} }`;
  }
}
inspectWith(TokenSource, TokenSource.prototype.toString);

/**
 * `{ accessKey, secretKey, securityToken? }` checked in that order (each named `<prefix>.<key>` in an error,
 * which never shows the value), without a `securityToken` key when none was given.
 */
function checkedAkSk(value: AkSkCredentials, prefix: string): AkSkCredentials {
  const accessKey = checkCredential(checkAccessKey, value.accessKey, `${prefix}.accessKey`);
  const secretKey = checkCredential(checkSecretKey, value.secretKey, `${prefix}.secretKey`);
  const securityToken =
    value.securityToken === undefined ? undefined : checkCredential(checkSecurityToken, value.securityToken, `${prefix}.securityToken`);
  return securityToken === undefined ? { accessKey, secretKey } : { accessKey, secretKey, securityToken };
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
  #secrets: readonly string[] | undefined;

  constructor(credentials: AkSkCredentials, fieldPrefix = "credentials") {
    const checked = checkedAkSk(credentials, fieldPrefix);
    this.#accessKey = checked.accessKey;
    this.#secretKey = checked.secretKey;
    this.#securityToken = checked.securityToken;
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

  /** Every secret value, for masking in bodies and messages (always the same array). */
  secrets(): readonly string[] {
    this.#secrets ??= this.#securityToken === undefined ? [this.#secretKey] : [this.#secretKey, this.#securityToken];
    return this.#secrets;
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
}
inspectWith(AkSkSource, AkSkSource.prototype.toString);

/** `expiresAt` as ms since the epoch, or a `ValidationError`. */
function expiryMs(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms =
    value instanceof Date
      ? value.getTime()
      : typeof value === "number"
        ? value
        : typeof value === "string"
          ? Date.parse(value)
          : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new ValidationError("credentials.provider().expiresAt", "type", "must be a Date, ms since the epoch or an ISO 8601 string");
  }
  return ms;
}

/**
 * Temporary AK/SK credentials from a provider, never showing their secrets. The provider is
 * asked lazily and its answer cached and shared by concurrent callers (one call in flight, see
 * `SharedCall`); asked again `AKSK_REFRESH_MARGIN_MS` before `expiresAt`, after `invalidate`
 * (the gateway refused the signature) and after a failure.
 */
export class AkSkProviderSource {
  readonly kind = "aksk";
  readonly refreshable = true;
  #provider: SharedCall<{ credentials: AkSkCredentials; expiresAtMs: number | undefined }>;
  /** Secret keys and security tokens the provider returned, newest last (masked also after they were replaced). */
  #seen: readonly string[] = [];

  constructor(provider: AkSkProvider) {
    if (typeof provider !== "function") throw new ValidationError("credentials.provider", "type", "must be a function");
    this.#provider = new SharedCall(() => this.#ask(provider));
  }

  /** The credentials to sign with: cached while fresh at `now`, else the result of the one provider call in flight. */
  credentials(signal: AbortSignal | undefined, now: () => number = Date.now): Promise<AkSkCredentials> {
    const current = this.#provider.current;
    if (current !== undefined && (current.expiresAtMs === undefined || now() < current.expiresAtMs - AKSK_REFRESH_MARGIN_MS)) {
      return Promise.resolve(current.credentials);
    }
    return this.#provider.join(signal).then((fresh) => fresh.credentials);
  }

  async #ask(provider: AkSkProvider): Promise<{ credentials: AkSkCredentials; expiresAtMs: number | undefined }> {
    let value: TemporaryAkSk;
    try {
      value = await provider();
    } catch (cause) {
      throw providerFailed("AK/SK", cause, this.secrets());
    }
    const field = "credentials.provider()";
    if (typeof value !== "object" || value === null) {
      throw new ValidationError(field, "type", "must resolve with { accessKey, secretKey, securityToken?, expiresAt? }");
    }
    const credentials = checkedAkSk(value, field);
    const expiresAtMs = expiryMs(value.expiresAt);
    const { secretKey, securityToken } = credentials;
    const fresh = securityToken === undefined ? [secretKey] : [secretKey, securityToken];
    this.#seen = [...this.#seen.filter((seen) => !fresh.includes(seen)), ...fresh].slice(-REMEMBERED_TOKENS * 2);
    return { credentials, expiresAtMs };
  }

  /** Drops the cached credentials if they are still `refused`. Returns true: the provider will be asked again. */
  invalidate(refused: AkSkCredentials): boolean {
    if (this.#provider.current?.credentials === refused) this.#provider.current = undefined;
    return true;
  }

  /** The secret keys and security tokens the provider returned lately, for masking (the same array until that changes). */
  secrets(): readonly string[] {
    return this.#seen;
  }

  toJSON(): Record<string, string> {
    return { type: "aksk", provider: REDACTED };
  }
  toString(): string {
    return `AkSkProviderCredentials { provider: ${REDACTED} }`;
  }
}
inspectWith(AkSkProviderSource, AkSkProviderSource.prototype.toString);

/** A credential checked and wrapped so it never shows its secrets. */
export type CredentialSource = TokenSource | AkSkSource | AkSkProviderSource;

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
  if (credentials instanceof TokenSource || credentials instanceof AkSkSource || credentials instanceof AkSkProviderSource)
    return credentials;
  if (typeof credentials !== "object" || credentials === null) {
    throw new ValidationError(field, "required", `must be ${CREDENTIAL_FORMS}`);
  }
  const record = credentials as Record<string, unknown>;
  const hasToken = record.token !== undefined;
  const hasAkSk = record.accessKey !== undefined || record.secretKey !== undefined || record.securityToken !== undefined;
  const hasProvider = record.provider !== undefined;
  if (Number(hasToken) + Number(hasAkSk) + Number(hasProvider) > 1) {
    throw new ValidationError(field, "oneOf", "give exactly one of a token, an AK/SK pair or an AK/SK provider, not several");
  }
  // Only the names are listed, never a value: a misspelt key may hold a secret.
  refuseUnknownKeys(record, hasToken ? ["token"] : hasProvider ? ["provider"] : ["accessKey", "secretKey", "securityToken"], `${field}.`);
  if (hasProvider) return new AkSkProviderSource(record.provider as AkSkProvider);
  if (hasToken) {
    if (typeof record.token !== "function") checkCredential(checkIamToken, record.token, `${field}.token`);
    return new TokenSource(record.token as string | TokenProvider);
  }
  if (hasAkSk) return new AkSkSource(record as unknown as AkSkCredentials, field);
  throw new ValidationError(field, "required", `must be ${CREDENTIAL_FORMS}`);
}

const CREDENTIAL_FORMS = "{ token }, { accessKey, secretKey, securityToken? } or { provider }";
