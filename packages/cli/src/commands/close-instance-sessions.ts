import { createReadStream } from "node:fs";
import { ValidationError } from "@geminidb-sessions/client";
import { type Command, type CommandContext, confirmClose, finish, kebab, usageFromValidation } from "../command.js";
import { flagValue, listValue, noPositionals, stringValue, wholeNumber } from "../command-line.js";
import { compact, exitCodes, failedResult, resultLine, type TargetResult, UsageError } from "../results.js";
import { type CallSetup, formatPlanned, type PlannedRequest, planRequest, prepareCalls } from "../setup.js";
import { type CliInput, createProgress, styleFor } from "../terminal.js";
import { clean, formatTable } from "../text.js";

/** Instances closed at once unless `--concurrency` says otherwise. */
export const defaultConcurrency = 4;
/** The most instances closed at once: more would only hammer the service. */
export const maxConcurrency = 32;
/** The most a file or stdin may hold: a list of IDs is small, anything bigger is a mistake. */
const maxListBytes = 16 * 1024 * 1024;

/** An instance ID and where it came from (`--instance-id`, `ids.txt:3`, `stdin:2`), for messages about it. */
interface InstanceIdEntry {
  id: string;
  origin: string;
}

/**
 * The IDs in a list: one per line; surrounding spaces, blank lines and `#` comments
 * (whole-line or trailing) are ignored. An ID never contains `#`, so cutting at the
 * first one is safe.
 */
function parseIdList(text: string, sourceName: string): InstanceIdEntry[] {
  const entries: InstanceIdEntry[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const id = line.replace(/#.*$/, "").trim();
    if (id !== "") entries.push({ id, origin: `${sourceName}:${index + 1}` });
  });
  return entries;
}

/** Reads a whole stream as UTF-8 text, refusing more than {@link maxListBytes}. */
async function readText(stream: CliInput, sourceName: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk);
    size += buffer.length;
    if (size > maxListBytes)
      throw new UsageError(`${sourceName} holds more than ${maxListBytes} bytes; is it really a list of instance IDs?`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function readListFile(path: string): Promise<string> {
  try {
    return await readText(createReadStream(path), path);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "it is a directory" : code;
    throw new UsageError(`cannot read --from-file ${path}: ${reason ?? "read failed"}`);
  }
}

/**
 * The IDs from `--instance-id`, each `--from-file` (`-` is stdin) and, when neither is
 * given, from stdin if it is not a terminal; each once, in order, with the repeated ones.
 */
async function collectInstanceIds(
  instanceIds: readonly string[],
  fromFiles: readonly string[],
  stdin: CliInput,
): Promise<{ entries: InstanceIdEntry[]; duplicates: string[] }> {
  if (fromFiles.filter((file) => file === "-").length > 1) throw new UsageError("--from-file - (stdin) can be given only once");
  const all: InstanceIdEntry[] = instanceIds.map((id) => ({ id: id.trim(), origin: "--instance-id" }));
  for (const file of fromFiles) {
    all.push(...parseIdList(file === "-" ? await readText(stdin, "stdin") : await readListFile(file), file === "-" ? "stdin" : file));
  }
  const nothingGiven = instanceIds.length === 0 && fromFiles.length === 0;
  if (nothingGiven && stdin.isTTY !== true) all.push(...parseIdList(await readText(stdin, "stdin"), "stdin"));
  if (all.length === 0) {
    throw new UsageError(
      nothingGiven
        ? "no instance IDs: give --instance-id <id>, --from-file <path>, or pipe IDs (one per line) on stdin"
        : "no instance IDs: the lists given hold only blank lines and comments",
    );
  }
  const entries = new Map<string, InstanceIdEntry>();
  const duplicates = new Set<string>();
  for (const entry of all) {
    if (entries.has(entry.id)) duplicates.add(entry.id);
    else entries.set(entry.id, entry);
  }
  return { entries: [...entries.values()], duplicates: [...duplicates] };
}

/** Plans every instance's request; every malformed ID is reported at once, with its origin. */
async function planAll(setup: CallSetup, entries: readonly InstanceIdEntry[], nodeId: string | undefined) {
  const planned: Array<PlannedRequest & { instanceId: string }> = [];
  const malformed: string[] = [];
  for (const entry of entries) {
    try {
      const request = await planRequest(setup.options, setup.secrets, (client) =>
        client.closeInstanceSessions({ instanceId: entry.id, ...(nodeId === undefined ? {} : { nodeId }) }),
      );
      planned.push({ instanceId: entry.id, ...request });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      if (error.field === "nodeId") throw usageFromValidation(error);
      if (error.field !== "instanceId") throw error;
      // The client's reason quotes the ID itself.
      malformed.push(`${entry.origin}: ${error.message.replace(/^instanceId:\s*/, "")}`);
    }
  }
  if (malformed.length > 0) {
    const what = malformed.length === 1 ? "a malformed instance ID" : `${malformed.length} malformed instance IDs`;
    throw new UsageError(`${what}; nothing was sent`, malformed);
  }
  return planned;
}

/** Runs `work` for every item with at most `limit` at once, in list order; `work` must not throw. */
async function forEachBounded<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/** `geminidb-sessions close-instance-sessions`: closes every session of each instance (operation closeInstanceSessions). */
export const closeInstanceSessions: Command = {
  name: kebab("closeInstanceSessions"),
  summary: "close every session on every node of one or more proxy-cluster instances",
  usage: [
    "--instance-id <id> [--instance-id <id> ...] (--region <r> | --endpoint <url>) [options]",
    "--from-file <path> ...",
    "<command printing IDs> | geminidb-sessions close-instance-sessions --yes ...",
  ],
  description: `Closes every session on every node of GeminiDB Redis proxy-cluster instances
(DELETE /v3/{project_id}/instances/{instance_id}/sessions, once per instance; with
--node-id, only that node's). Every client connected to them is disconnected.`,
  options: [
    { name: "instance-id", type: "string", multiple: true, value: "<id>", help: "an instance to clear; repeat it for several" },
    {
      name: "from-file",
      type: "string",
      multiple: true,
      value: "<path>",
      help: "read IDs from a file ('-' for stdin), one per line; blank lines and '#' comments are ignored. With neither option, IDs are read from stdin when it is not a terminal. Repeated IDs run once",
    },
    { name: "node-id", type: "string", value: "<id>", help: "close only this node's sessions (node_id query parameter)" },
    {
      name: "concurrency",
      type: "string",
      value: "<n>",
      help: `instances handled at once (default ${defaultConcurrency}, at most ${maxConcurrency})`,
    },
  ],
  closes: true,
  examples: `
  export GEMINIDB_TOKEN=...            # an IAM token (X-Subject-Token of POST /v3/auth/tokens)
  geminidb-sessions close-instance-sessions --region cn-north-4 --project-id 619d3e78f61b4be68bc5aa0b59edcf7b \\
    --instance-id c865f921f3dd45198f209a607533a779in12

  # several instances from a file, 8 at a time, no prompt, results as JSON
  geminidb-sessions close-instance-sessions --region cn-north-4 --from-file instances.txt --concurrency 8 --yes --json > result.json

  # IDs from another command
  grep -v '^#' instances.txt | geminidb-sessions close-instance-sessions --region cn-north-4 --yes

  # see the signed requests without sending them
  geminidb-sessions close-instance-sessions --endpoint http://127.0.0.1:8080 --instance-id c865f921f3dd45198f209a607533a779in12 --dry-run`,
  run,
};

async function run(context: CommandContext): Promise<number> {
  const { args, io, secrets } = context;
  const command = closeInstanceSessions;
  noPositionals(args, "give instance IDs with --instance-id, --from-file or on stdin");
  const concurrency = wholeNumber(args, "concurrency", "instances", { min: 1, max: maxConcurrency }) ?? defaultConcurrency;
  const setup = prepareCalls(args, io, secrets);
  const nodeId = stringValue(args, "node-id");
  const { entries, duplicates } = await collectInstanceIds(listValue(args, "instance-id"), listValue(args, "from-file"), io.stdin);
  for (const id of duplicates) io.stderr.write(`note: ${id} is listed more than once; it is closed once\n`);
  const planned = await planAll(setup, entries, nodeId);

  if (flagValue(args, "dry-run")) {
    io.stderr.write(`dry run: nothing was sent; ${planned.length} request(s) would be sent with the ${setup.describe}\n`);
    const results: TargetResult[] = planned.map(({ instanceId, ...request }) => ({ instanceId, status: "dry-run", request }));
    return finish(command, context, setup, results, () => formatPlanned(planned));
  }

  const ids = planned.map((request) => request.instanceId);
  const shown = ids.slice(0, 10).map((id) => `  ${id}\n`);
  if (ids.length > shown.length) shown.push(`  ... and ${ids.length - shown.length} more\n`);
  const scope = nodeId === undefined ? "every node" : `node ${nodeId}`;
  const declined = await confirmClose(
    command,
    context,
    setup,
    `About to close ALL sessions on ${scope} of ${ids.length} instance(s) in project ${setup.projectId} at ${setup.endpoint}:\n` +
      `${shown.join("")}Every client connected to them will be disconnected.`,
  );
  if (declined !== undefined) return declined;

  const style = styleFor(io.stderr, io.env);
  io.stderr.write(
    `closing all sessions of ${ids.length} instance(s) in project ${setup.projectId} at ${setup.endpoint}, ` +
      `${Math.min(concurrency, ids.length)} at a time, with the ${setup.describe}\n`,
  );
  const progress = createProgress(io, style, ids.length, "closed", "closing");
  const results: TargetResult[] = new Array(ids.length);
  await forEachBounded(ids, concurrency, async (instanceId, index) => {
    let result: TargetResult;
    if (io.signal?.aborted) {
      result = { instanceId, status: "aborted", message: "interrupted before it was sent" };
    } else {
      progress.started(instanceId);
      try {
        const { requestId } = await setup.client.closeInstanceSessions({
          instanceId,
          ...(nodeId === undefined ? {} : { nodeId }),
          signal: io.signal,
          onRetry: ({ reason, delayMs }) =>
            progress.event(`${style.yellow("retry  ")} ${instanceId}  ${clean(reason)}, again in ${delayMs} ms`, "retry"),
        });
        result = compact<TargetResult>({ instanceId, status: "closed", httpStatus: 200, requestId });
      } catch (error) {
        result = failedResult({ instanceId }, error, secrets);
      }
      progress.finished(result.status === "closed");
    }
    results[index] = result;
    progress.event(resultLine(result, style, "closed"), "result");
  });
  progress.done();

  const exitCode = finish(command, context, setup, results, () => summaryTable(results, styleFor(io.stdout, io.env)));
  if (exitCode === exitCodes.interrupted) io.stderr.write("interrupted: instances marked aborted may or may not have been cleared\n");
  return exitCode;
}

/** The summary: instance, result, error code, request ID; then a totals line. */
function summaryTable(results: readonly TargetResult[], style: ReturnType<typeof styleFor>): string {
  const rows = results.map((result) => [result.instanceId ?? "-", result.status, result.code ?? "-", result.requestId ?? "-"]);
  const paint = (cell: string, column: number) =>
    column !== 1 ? cell : cell === "closed" ? style.green(cell) : cell === "failed" ? style.red(cell) : style.yellow(cell);
  const count = (status: string) => results.filter((result) => result.status === status).length;
  const totals = [`${count("closed")} of ${results.length} closed`, ...(count("failed") > 0 ? [`${count("failed")} failed`] : [])];
  if (count("aborted") > 0) totals.push(`${count("aborted")} aborted`);
  return `${formatTable(["INSTANCE", "RESULT", "CODE", "REQUEST ID"], rows, paint, style.bold)}${totals.join(", ")}\n`;
}
