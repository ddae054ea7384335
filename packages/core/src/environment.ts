import type { Region } from "@geminidb-sessions/validation";
import { AkSkSource, type Credentials, checkCredential, TokenSource } from "./credentials.js";
import { isKnownRegion } from "./endpoint.js";
import { ValidationError } from "./errors.js";
import { checkAccessKey, checkIamToken, checkProjectId, checkSecretKey, checkSecurityToken } from "./input-checks.js";
import type { CoreOptions } from "./options.js";
import type { AkSkCredentials } from "./signer.js";

/**
 * The environment variables read by `credentialsFromEnv` and `optionsFromEnv`.
 * `HUAWEICLOUD_SDK_AK`, `_SK`, `_SECURITY_TOKEN` and `_PROJECT_ID` are the names
 * the vendor's SDKs read (`@huaweicloud/huaweicloud-sdk-core` maps every
 * `HUAWEICLOUD_SDK_*` variable onto its credentials). `HUAWEICLOUD_SDK_REGION`
 * is the name Huawei Cloud's own samples and tools use for the region; the SDK
 * core does not read it (its region comes from code). `GEMINIDB_TOKEN` is this
 * project's (the CLI reads it too): the vendor has no variable for an IAM token.
 */
export const credentialEnvVars = {
  token: "GEMINIDB_TOKEN",
  accessKey: "HUAWEICLOUD_SDK_AK",
  secretKey: "HUAWEICLOUD_SDK_SK",
  securityToken: "HUAWEICLOUD_SDK_SECURITY_TOKEN",
  projectId: "HUAWEICLOUD_SDK_PROJECT_ID",
  region: "HUAWEICLOUD_SDK_REGION",
} as const;

/**
 * The vendor SDKs' per-service endpoint variable for GeminiDB (service `GaussDBforNoSQL`):
 * `HUAWEICLOUD_SDK_REGION_GAUSSDBFORNOSQL_<REGION>` with the region upper-cased and `-`
 * as `_`, e.g. `HUAWEICLOUD_SDK_REGION_GAUSSDBFORNOSQL_CN_NORTH_4`. Its value is an
 * endpoint, or several separated by commas (the SDKs fall back to the next; this
 * library uses the first).
 */
export function endpointEnvVar(region: string): string {
  return `HUAWEICLOUD_SDK_REGION_GAUSSDBFORNOSQL_${region.toUpperCase().replace(/-/g, "_")}`;
}

/** An environment: `process.env` or any name → value record. */
export type Environment = Readonly<Record<string, string | undefined>>;

function processEnv(): Environment {
  const process = (globalThis as { process?: { env?: Environment } }).process;
  return process?.env ?? {};
}

function reader(env: Environment): (name: string) => string | undefined {
  return (name) => {
    const value = env[name];
    return value === undefined || value.trim() === "" ? undefined : value;
  };
}

/** The credentials the environment holds: `GEMINIDB_TOKEN` first, then the AK/SK variables; undefined for none. */
function envCredentials(read: (name: string) => string | undefined): Credentials | undefined {
  const token = read(credentialEnvVars.token);
  if (token !== undefined) {
    checkCredential(checkIamToken, token, credentialEnvVars.token);
    return new TokenSource(token) as unknown as Credentials;
  }
  const accessKey = read(credentialEnvVars.accessKey);
  const secretKey = read(credentialEnvVars.secretKey);
  const securityToken = read(credentialEnvVars.securityToken);
  if (accessKey === undefined && secretKey === undefined) {
    if (securityToken !== undefined)
      throw new ValidationError(
        credentialEnvVars.accessKey,
        "required",
        `is not set (${credentialEnvVars.securityToken} needs an AK/SK pair)`,
      );
    return undefined;
  }
  if (accessKey === undefined)
    throw new ValidationError(credentialEnvVars.accessKey, "required", `is not set (${credentialEnvVars.secretKey} is)`);
  if (secretKey === undefined)
    throw new ValidationError(credentialEnvVars.secretKey, "required", `is not set (${credentialEnvVars.accessKey} is)`);
  checkCredential(checkAccessKey, accessKey, credentialEnvVars.accessKey);
  checkCredential(checkSecretKey, secretKey, credentialEnvVars.secretKey);
  if (securityToken !== undefined) checkCredential(checkSecurityToken, securityToken, credentialEnvVars.securityToken);
  const source = new AkSkSource(securityToken === undefined ? { accessKey, secretKey } : { accessKey, secretKey, securityToken });
  // AkSkSource exposes the three fields through getters, so it is an AkSkCredentials at run time.
  return source as unknown as AkSkCredentials as Credentials;
}

/**
 * Reads credentials and the project ID from the environment: `GEMINIDB_TOKEN` (an IAM
 * token) if set, else the vendor's `HUAWEICLOUD_SDK_AK` and `HUAWEICLOUD_SDK_SK` (both
 * required) with `HUAWEICLOUD_SDK_SECURITY_TOKEN` (temporary credentials); and
 * `HUAWEICLOUD_SDK_PROJECT_ID`. `env` defaults to `process.env` where there is one. No
 * credentials, or a malformed variable, throws `ValidationError` whose `field` is the
 * variable's name; no value is ever printed. The credentials returned never show their secrets.
 *
 * @example
 * const { credentials, projectId } = credentialsFromEnv();
 * const client = createSessionsClient({ region: "cn-north-4", credentials, projectId });
 */
export function credentialsFromEnv(env: Environment = processEnv()): {
  credentials: Credentials;
  projectId?: string;
} {
  const read = reader(env);
  const credentials = envCredentials(read);
  if (credentials === undefined) {
    throw new ValidationError(
      credentialEnvVars.accessKey,
      "required",
      `is not set: set ${credentialEnvVars.token}, or ${credentialEnvVars.accessKey} and ${credentialEnvVars.secretKey}`,
    );
  }
  const projectId = read(credentialEnvVars.projectId);
  return projectId === undefined ? { credentials } : { credentials, projectId: checkProjectId(projectId, credentialEnvVars.projectId) };
}

/** What `optionsFromEnv` returns: the explicit options, with credentials, project, region and endpoint filled in from the environment. */
export type EnvOptions<Explicit extends Partial<CoreOptions>> = Omit<Explicit, "credentials"> &
  Pick<CoreOptions, "credentials"> &
  Pick<Partial<CoreOptions>, "projectId" | "region" | "endpoint">;

/**
 * Fills the options `explicit` leaves out from the environment, the way the vendor's tools
 * read it. Precedence, highest first: an option in `explicit` (even one set to a value the
 * environment disagrees with), then the environment:
 *
 * | option        | variable                                                                 |
 * | ------------- | ------------------------------------------------------------------------ |
 * | `credentials` | `GEMINIDB_TOKEN`, else `HUAWEICLOUD_SDK_AK` + `HUAWEICLOUD_SDK_SK` (+ `HUAWEICLOUD_SDK_SECURITY_TOKEN`) |
 * | `projectId`   | `HUAWEICLOUD_SDK_PROJECT_ID`                                             |
 * | `region`      | `HUAWEICLOUD_SDK_REGION`                                                 |
 * | `endpoint`    | `HUAWEICLOUD_SDK_REGION_GAUSSDBFORNOSQL_<REGION>` for the region in effect (explicit or from the environment); never used when `explicit` has an `endpoint` |
 *
 * Variables that are unset or blank are ignored. A malformed one (a region the spec does
 * not list, an AK without its SK) throws `ValidationError` whose `field` is the variable's
 * name; no value is printed. No credentials in `explicit` nor in the environment throws
 * `ValidationError` (field `credentials`). Nothing else is read and nothing is sent. The
 * result goes to `createSessionsClient` / `createSessionsApi` as is, which check the rest.
 *
 * @example
 * const client = createSessionsClient(optionsFromEnv(process.env, { timeoutMs: 10_000 }));
 */
export function optionsFromEnv<Explicit extends Partial<CoreOptions> = Record<never, never>>(
  env: Environment = processEnv(),
  explicit: Explicit & Partial<CoreOptions> = {} as Explicit,
): EnvOptions<Explicit> {
  const read = reader(env);
  const out: Record<string, unknown> = { ...explicit };
  if (explicit.credentials === undefined) {
    const credentials = envCredentials(read);
    if (credentials === undefined) {
      throw new ValidationError(
        "credentials",
        "required",
        `none given and none in the environment: set ${credentialEnvVars.token}, or ${credentialEnvVars.accessKey} and ${credentialEnvVars.secretKey}`,
      );
    }
    out.credentials = credentials;
  }
  if (explicit.projectId === undefined) {
    const projectId = read(credentialEnvVars.projectId);
    if (projectId !== undefined) out.projectId = checkProjectId(projectId.trim(), credentialEnvVars.projectId);
  }
  let region: string | undefined = explicit.region;
  if (region === undefined) {
    const fromEnv = read(credentialEnvVars.region)?.trim();
    if (fromEnv !== undefined) {
      if (!isKnownRegion(fromEnv)) {
        throw new ValidationError(credentialEnvVars.region, "enum", "is not a region the spec lists; set an endpoint for others");
      }
      region = fromEnv;
      out.region = fromEnv satisfies Region;
    }
  }
  if (explicit.endpoint === undefined && region !== undefined) {
    const endpoint = read(endpointEnvVar(region))?.split(",")[0]?.trim();
    if (endpoint !== undefined && endpoint !== "") out.endpoint = endpoint;
  }
  return out as EnvOptions<Explicit>;
}
