/** A stream the CLI reads instance IDs and confirmation answers from. */
export type CliInput = NodeJS.ReadableStream & { isTTY?: boolean | undefined };

/** A stream the CLI writes to; `isTTY` and `columns` decide progress display and colors. */
export type CliOutput = NodeJS.WritableStream & { isTTY?: boolean | undefined; columns?: number | undefined };

/**
 * Everything the CLI touches in its process: the bin passes the real ones, tests
 * and embedders their own.
 */
export interface CliIo {
  stdin: CliInput;
  /** Results: the summary table, the `--json` object, the dry run's requests. */
  stdout: CliOutput;
  /** Progress, warnings, prompts and error details. */
  stderr: CliOutput;
  /** The environment variables to read (credentials, project ID, `NO_COLOR`). */
  env: Record<string, string | undefined>;
  /** When it aborts, requests in flight are abandoned and the run ends with exit code 130. */
  signal?: AbortSignal | undefined;
}
