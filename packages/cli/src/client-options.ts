import type { SessionsClientOptions, ValidationError } from "@geminidb-sessions/client";
import type { CloseOptions } from "./command-line.js";
import type { ChosenCredentials } from "./credentials.js";
import { UsageError } from "./usage-error.js";
import { cliUserAgent } from "./version.js";

/** Everything decided before the first request: the client's options and where each came from. */
export interface ClientSetup {
  options: SessionsClientOptions;
  projectId: string;
  /** For messages: the command-line flag or variable behind each client option. */
  sources: Record<string, string>;
}

/**
 * The client options for a `close` run. Throws {@link UsageError} when no project ID
 * was given; everything else is checked when the client is created.
 */
export function clientSetup(
  options: CloseOptions,
  credentials: ChosenCredentials,
  project: { projectId: string; source: string } | undefined,
): ClientSetup {
  if (project === undefined) throw new UsageError("no project ID: pass --project-id or set HUAWEICLOUD_SDK_PROJECT_ID");
  const clientOptions: SessionsClientOptions = {
    projectId: project.projectId,
    credentials: credentials.credentials,
    userAgent: cliUserAgent,
  };
  if (options.endpoint !== undefined) clientOptions.endpoint = options.endpoint;
  if (options.region !== undefined) clientOptions.region = options.region;
  if (options.timeoutMs !== undefined) clientOptions.timeoutMs = options.timeoutMs;
  if (options.maxRetries !== undefined) clientOptions.maxRetries = options.maxRetries;
  return {
    options: clientOptions,
    projectId: project.projectId,
    sources: {
      projectId: project.source,
      region: "--region",
      endpoint: "--endpoint",
      timeoutMs: "--timeout-ms",
      maxRetries: "--max-retries",
      "credentials.token": credentials.source,
    },
  };
}

/**
 * A client `ValidationError` about an option, restated with the flag or variable the
 * user set (`--region: must be …` rather than `region: must be …`).
 */
export function usageErrorFor(error: ValidationError, sources: Record<string, string>): UsageError {
  const source = sources[error.field];
  if (source === undefined) return new UsageError(error.message);
  const rest = error.message.startsWith(`${error.field}:`) ? error.message.slice(error.field.length + 1).trim() : error.message;
  return new UsageError(`${source}: ${rest}`);
}
