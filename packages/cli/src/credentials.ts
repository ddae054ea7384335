import { type Credentials, credentialEnvVars, credentialsFromEnv, ValidationError } from "@geminidb-sessions/client";
import { UsageError } from "./usage-error.js";

/** The environment variable holding an IAM token for the CLI. */
export const tokenEnvVar = "GEMINIDB_TOKEN";
/** The vendor's variables (read by the client's `credentialsFromEnv`). */
export const vendorEnvVars = credentialEnvVars;

/** Printed whenever a secret comes from the command line. */
export const commandLineSecretWarning =
  "warning: --token puts the token in your shell history and in the process list (ps) of this machine; " +
  `prefer the ${tokenEnvVar} environment variable`;

/** The credentials to use, where they came from, and every secret value to keep out of output. */
export interface ChosenCredentials {
  credentials: Credentials;
  /** Where they came from, for messages: `--token`, `GEMINIDB_TOKEN` or `HUAWEICLOUD_SDK_AK/SK`. */
  source: string;
  /** What kind they are, for messages. */
  kind: "IAM token" | "AK/SK" | "temporary AK/SK";
  /** Values that must never be printed (the token, the SK, the security token). */
  secrets: string[];
  /** A warning to print before anything else, when the choice is risky. */
  warning?: string;
}

const nonEmpty = (value: string | undefined) => (value === undefined || value === "" ? undefined : value);

/**
 * Picks the credentials, first match wins: `--token` (with a warning), then
 * `GEMINIDB_TOKEN`, then the vendor's `HUAWEICLOUD_SDK_AK` / `HUAWEICLOUD_SDK_SK`
 * (with `HUAWEICLOUD_SDK_SECURITY_TOKEN` for temporary ones). Throws
 * {@link UsageError} when there are none or a variable is malformed; no value is
 * ever part of a message.
 */
export function chooseCredentials(commandLineToken: string | undefined, env: Record<string, string | undefined>): ChosenCredentials {
  if (commandLineToken !== undefined) {
    return {
      credentials: { token: commandLineToken },
      source: "--token",
      kind: "IAM token",
      secrets: [commandLineToken],
      warning: commandLineSecretWarning,
    };
  }
  const token = nonEmpty(env[tokenEnvVar]);
  if (token !== undefined) return { credentials: { token }, source: tokenEnvVar, kind: "IAM token", secrets: [token] };
  if (nonEmpty(env[vendorEnvVars.accessKey]) !== undefined || nonEmpty(env[vendorEnvVars.secretKey]) !== undefined) {
    try {
      // The project ID is chosen separately (--project-id wins), so a stale variable cannot fail the run here.
      const { credentials } = credentialsFromEnv({ ...env, [vendorEnvVars.projectId]: undefined });
      const temporary = credentials.securityToken !== undefined;
      return {
        credentials,
        source: `${vendorEnvVars.accessKey}/${vendorEnvVars.secretKey}`,
        kind: temporary ? "temporary AK/SK" : "AK/SK",
        secrets: [credentials.secretKey, ...(temporary ? [credentials.securityToken ?? ""] : [])],
      };
    } catch (error) {
      // The field is the variable's name; the message never holds its value.
      if (error instanceof ValidationError) throw new UsageError(error.message);
      throw error;
    }
  }
  throw new UsageError(
    `no credentials: set ${tokenEnvVar} to an IAM token, or ${vendorEnvVars.accessKey} and ${vendorEnvVars.secretKey} to an access key pair`,
  );
}

/** `--project-id`, else `HUAWEICLOUD_SDK_PROJECT_ID`; with where it came from, for messages. */
export function chooseProjectId(
  commandLine: string | undefined,
  env: Record<string, string | undefined>,
): { projectId: string; source: string } | undefined {
  if (commandLine !== undefined) return { projectId: commandLine, source: "--project-id" };
  const fromEnv = nonEmpty(env[vendorEnvVars.projectId]);
  return fromEnv === undefined ? undefined : { projectId: fromEnv, source: vendorEnvVars.projectId };
}
