import { defaultRetryPolicy, MAX_RETRIES_LIMIT } from "@geminidb-sessions/client";
import { defaultConcurrency, maxConcurrency } from "./command-line.js";
import { tokenEnvVar, vendorEnvVars } from "./credentials.js";
import { exitCodes } from "./exit-codes.js";

/** What `geminidb-sessions --help` prints. */
export const helpText = `Usage: geminidb-sessions close --instance-id <id> [--instance-id <id> ...] (--region <r> | --endpoint <url>) [options]
       geminidb-sessions close --from-file <path> ...
       <command printing IDs> | geminidb-sessions close --yes ...

Closes every session on every node of GeminiDB Redis proxy-cluster instances
(DELETE /v3/{project_id}/instances/{instance_id}/sessions, once per instance).
Every client connected to those instances is disconnected.

Instances:
  --instance-id <id>    an instance to clear; repeat it for several
  --from-file <path>    read IDs from a file ('-' for stdin), one per line; blank lines
                        and '#' comments are ignored. With neither option, IDs are read
                        from stdin when stdin is not a terminal. Repeated IDs run once.

Where:
  --project-id <id>     the project owning the instances (default: $${vendorEnvVars.projectId})
  --region <region>     a region, e.g. cn-north-4: https://gaussdb-nosql.<region>.myhuaweicloud.com
  --endpoint <url>      an explicit origin instead (http:// only to loopback, e.g. an emulator)

How:
  --concurrency <n>     instances handled at once (default ${defaultConcurrency}, at most ${maxConcurrency})
  --timeout-ms <ms>     how long one attempt may take (default ${defaultRetryPolicy.timeoutMs})
  --max-retries <n>     retries of an attempt that failed with a connection error, a timeout,
                        429, 5xx or a busy instance (default ${defaultRetryPolicy.maxRetries}, at most ${MAX_RETRIES_LIMIT})
  --dry-run             print the signed requests that would be sent, secrets masked as ***;
                        send nothing
  -y, --yes             do not ask for confirmation. Without it the command asks on a
                        terminal, and refuses (exit 2) when stdin or stderr is not one
  --json                print one JSON object with every instance's result on stdout
  --token <token>       an IAM token on the command line. Discouraged: it ends up in shell
                        history and in the process list; a warning is printed. Use $${tokenEnvVar}
  -h, --help            print this help
  --version             print the version

Environment:
  ${tokenEnvVar}                      an IAM token (X-Auth-Token); used before AK/SK
  ${vendorEnvVars.accessKey}, ${vendorEnvVars.secretKey}  an access key pair: requests are signed (SDK-HMAC-SHA256)
  ${vendorEnvVars.securityToken}      the security token of a temporary access key pair
  ${vendorEnvVars.projectId}          the default for --project-id
  NO_COLOR                            set (non-empty): no colors

Output: results (the summary table, --json, --dry-run) on stdout; progress, warnings,
the confirmation prompt and error details (the error catalog's meaning and remedy) on stderr.

Exit codes:
  ${exitCodes.success}    every instance was closed (or the dry run printed its requests)
  ${exitCodes.failure}    none was closed, for another reason or a mix of reasons; or the
       confirmation was declined (nothing sent)
  ${exitCodes.usage}    usage error: bad option, no or malformed instance ID, no credentials,
       no --yes without a terminal; nothing was sent
  ${exitCodes.auth}    every instance failed with an auth error (401, APIGW.0301/0302/0303, DBS.200010)
  ${exitCodes.notFound}    every instance failed because it does not exist (DBS.200002)
  ${exitCodes.partial}    some instances were closed, some failed
  ${exitCodes.retryable}    every instance failed with a retryable error (busy, throttled, 5xx,
       timeout, unreachable), even after the retries: try again later
  ${exitCodes.interrupted}  interrupted (Ctrl-C)

Examples:
  export ${tokenEnvVar}=...            # an IAM token (X-Subject-Token of POST /v3/auth/tokens)
  geminidb-sessions close --region cn-north-4 --project-id 619d3e78f61b4be68bc5aa0b59edcf7b \\
    --instance-id c865f921f3dd45198f209a607533a779in12

  # several instances from a file, 8 at a time, no prompt, results as JSON
  geminidb-sessions close --region cn-north-4 --from-file instances.txt --concurrency 8 --yes --json > result.json

  # IDs from another command
  grep -v '^#' instances.txt | geminidb-sessions close --region cn-north-4 --yes

  # see the signed requests without sending them (AK/SK from ${vendorEnvVars.accessKey}/${vendorEnvVars.secretKey})
  geminidb-sessions close --endpoint http://127.0.0.1:8080 --instance-id c865f921f3dd45198f209a607533a779in12 --dry-run
`;
