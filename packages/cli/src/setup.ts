import {
  type Credentials,
  createSessionsClient,
  credentialEnvVars,
  credentialsFromEnv,
  MAX_RETRIES_LIMIT,
  type SessionsClient,
  type SessionsClientOptions,
  ValidationError,
} from "@geminidb-sessions/client";
import { regionEndpoints } from "@geminidb-sessions/validation";
import { name as packageName, version } from "../package.json";
import { flagValue, type ParsedArgs, stringValue, wholeNumber } from "./command-line.js";
import { compact, restated, type TargetResult, UsageError } from "./results.js";
import type { CliIo } from "./terminal.js";
import { clean, maskHeaders, maskSecrets } from "./text.js";

/** This package's version, as `--version` prints it. */
export const cliVersion: string = version;
/** The `User-Agent` the CLI sends: its own name and version. */
export const cliUserAgent: string = `${packageName}/${version}`;

/** The environment variable holding an IAM token for the CLI. */
export const tokenEnvVar = "GEMINIDB_TOKEN";
/** The vendor's variables (read by the client's `credentialsFromEnv`). */
export const vendorEnvVars: typeof credentialEnvVars = credentialEnvVars;

/** Printed whenever a secret comes from the command line. */
export const commandLineSecretWarning: string =
  "warning: --token puts the token in your shell history and in the process list (ps) of this machine; " +
  `prefer the ${tokenEnvVar} environment variable`;

/** The credentials to use, where they came from, and every secret value to keep out of output. */
export interface ChosenCredentials {
  credentials: Credentials;
  /** Where they came from, for messages: `--token`, `GEMINIDB_TOKEN` or `HUAWEICLOUD_SDK_AK/SK`. */
  source: string;
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
      const { credentials } = credentialsFromEnv({ ...env, [tokenEnvVar]: undefined, [vendorEnvVars.projectId]: undefined });
      if (!("secretKey" in credentials)) throw new UsageError(`set both ${vendorEnvVars.accessKey} and ${vendorEnvVars.secretKey}`);
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

/** The proxy URL from the environment for `https:` (or `http:`) requests, as curl reads it; lower case wins. */
function proxyFor(protocol: string, env: Record<string, string | undefined>): string | undefined {
  const read = (name: string) => nonEmpty(env[name.toLowerCase()]) ?? nonEmpty(env[name]);
  return protocol === "https:" ? read("HTTPS_PROXY") : read("HTTP_PROXY");
}

/** Everything a command needs to call the service: the checked client options, and how to describe them. */
export interface CallSetup {
  options: SessionsClientOptions;
  /** A client with those options: one for every call of the run. */
  client: SessionsClient;
  projectId: string;
  endpoint: string;
  /** Every value to mask in output: credentials and a proxy's password. */
  secrets: string[];
  /** `IAM token from GEMINIDB_TOKEN`, for progress lines. */
  describe: string;
}

/**
 * Reads the options every command shares, chooses the credentials and the project, and
 * checks all of it with the client itself, before anything is sent. Throws
 * {@link UsageError} for anything the user must fix (an unknown region lists the valid
 * ones). `--verbose`/`--debug` log each request and response to stderr, secrets masked;
 * `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` route requests through a proxy.
 */
export function prepareCalls(args: ParsedArgs, io: CliIo, secrets: string[]): CallSetup {
  const region = stringValue(args, "region");
  const endpointOption = stringValue(args, "endpoint");
  if (region !== undefined && endpointOption !== undefined) throw new UsageError("give --region or --endpoint, not both");
  if (region === undefined && endpointOption === undefined) {
    throw new UsageError("say where to send requests: --region (e.g. cn-north-4) or --endpoint (e.g. http://127.0.0.1:8080)");
  }
  if (region !== undefined && !Object.hasOwn(regionEndpoints, region)) {
    throw new UsageError(`--region: '${clean(region)}' is not a region the spec lists`, [
      `valid regions: ${Object.keys(regionEndpoints).join(", ")}`,
      "for any other origin, pass --endpoint <url> instead",
    ]);
  }
  const timeoutMs = wholeNumber(args, "timeout-ms", "milliseconds", { min: 1, max: 2_147_483_647 });
  const maxRetries = wholeNumber(args, "max-retries", "retries", { min: 0, max: MAX_RETRIES_LIMIT });

  const credentials = chooseCredentials(stringValue(args, "token"), io.env);
  secrets.push(...credentials.secrets);
  if (credentials.warning !== undefined) io.stderr.write(`${credentials.warning}\n`);
  const projectOption = stringValue(args, "project-id");
  const projectId = projectOption ?? nonEmpty(io.env[vendorEnvVars.projectId]);
  if (projectId === undefined) throw new UsageError(`no project ID: pass --project-id or set ${vendorEnvVars.projectId}`);

  const options = compact<SessionsClientOptions>({
    projectId,
    credentials: credentials.credentials,
    userAgent: cliUserAgent,
    endpoint: endpointOption,
    region: region as keyof typeof regionEndpoints | undefined,
    timeoutMs,
    maxRetries,
  });
  const sources = {
    projectId: projectOption === undefined ? vendorEnvVars.projectId : "--project-id",
    region: "--region",
    endpoint: "--endpoint",
    "credentials.token": credentials.source,
  };
  let endpoint: string;
  try {
    endpoint = createSessionsClient(options).endpoint;
  } catch (error) {
    if (error instanceof ValidationError) throw restated(error, sources[error.field as keyof typeof sources]);
    throw error;
  }

  const proxy = proxyFor(new URL(endpoint).protocol, io.env);
  if (proxy !== undefined) {
    if (!URL.canParse(proxy)) throw new UsageError("HTTPS_PROXY / HTTP_PROXY: must be a URL such as http://proxy.example:3128");
    const proxyUrl = new URL(proxy);
    if (proxyUrl.password !== "") secrets.push(decodeURIComponent(proxyUrl.password), proxyUrl.password);
    // undici reads HTTP(S)_PROXY and NO_PROXY (either case) itself, and leaves NO_PROXY hosts direct.
    // Loaded only when a proxy is set, so runs without one never load it.
    let proxied: Promise<NonNullable<SessionsClientOptions["fetch"]>> | undefined;
    options.fetch = async (input, init) => {
      proxied ??= import("undici").then(({ EnvHttpProxyAgent, fetch }) => {
        const dispatcher = new EnvHttpProxyAgent();
        return (url, request) =>
          fetch(url as Parameters<typeof fetch>[0], { ...(request as object), dispatcher }) as unknown as Promise<Response>;
      });
      return (await proxied)(input, init);
    };
  }

  const verbose = flagValue(args, "verbose") || flagValue(args, "debug");
  if (verbose) options.logger = verboseLogger(io, secrets, flagValue(args, "debug"));
  const client = createSessionsClient(options);
  return { options, client, projectId, endpoint, secrets, describe: `${credentials.kind} from ${credentials.source}` };
}

/**
 * The client's logger for `--verbose` (request and response lines) and `--debug` (their
 * headers too), on stderr. Headers come already redacted by the client; every line is
 * masked again and cleaned, since a response header is the server's text.
 */
function verboseLogger(io: CliIo, secrets: readonly string[], withHeaders: boolean) {
  return (level: string, message: string, details?: Record<string, unknown>) => {
    if (level !== "debug" && level !== "info") return;
    const lines = [
      message.startsWith("request ") ? `> ${message.slice(8)}` : message.startsWith("response ") ? `< ${message.slice(9)}` : `* ${message}`,
    ];
    const extra = [details?.requestId ? `request ${String(details.requestId)}` : "", details?.code ? String(details.code) : ""];
    if (typeof details?.durationMs === "number") extra.push(`${details.durationMs} ms`);
    const tail = extra.filter((part) => part !== "").join(", ");
    if (tail !== "") lines[0] += ` (${tail})`;
    if (withHeaders && details?.headers !== undefined && typeof details.headers === "object") {
      for (const [name, value] of Object.entries(details.headers as Record<string, string>)) lines.push(`  ${name}: ${value}`);
    }
    io.stderr.write(lines.map((line) => `${clean(maskSecrets(line, secrets))}\n`).join(""));
  };
}

/** A request as it would go on the wire, secrets masked: the `--dry-run` result's `request`. */
export type PlannedRequest = NonNullable<TargetResult["request"]>;

/**
 * Builds, authenticates and signs the request `call` makes with the real client, whose
 * `fetch` records the request and answers `200 {}` instead of sending it. So the plan is
 * exactly what a real run sends (the same checks, headers and signing code), except for
 * `X-Sdk-Date` and the signature, which a real run computes again at send time. The
 * client's input checks still throw `ValidationError`.
 */
export async function planRequest(
  options: SessionsClientOptions,
  secrets: readonly string[],
  call: (client: SessionsClient) => Promise<unknown>,
): Promise<PlannedRequest> {
  let recorded: { url: string; method: string; headers: Headers; body: string } | undefined;
  const client = createSessionsClient({
    ...options,
    logger: undefined,
    maxRetries: 0,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      recorded = {
        url: request.url,
        method: request.method,
        headers: new Headers(init?.headers ?? request.headers),
        body: await request.text(),
      };
      return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
    },
  });
  await call(client).catch((error: unknown) => {
    // The fake answer does not fit a list's schema; what matters is the request, already recorded.
    if (recorded === undefined || error instanceof ValidationError) throw error;
  });
  if (recorded === undefined) throw new Error("the client sent nothing");
  const { url, method, headers, body } = recorded;
  headers.set("host", new URL(url).host);
  const planned: PlannedRequest = { method, url, headers: maskHeaders(headers, secrets) };
  if (body !== "") planned.body = JSON.parse(body) as unknown;
  return planned;
}

/** The dry run for people: each request as an HTTP request head, with its JSON body when it has one. */
export function formatPlanned(planned: readonly PlannedRequest[]): string {
  return planned
    .map(({ method, url, headers, body }) => {
      const lines = [`${method} ${url}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
      if (body !== undefined) lines.push("", JSON.stringify(body));
      return `${lines.join("\n")}\n`;
    })
    .join("\n");
}
