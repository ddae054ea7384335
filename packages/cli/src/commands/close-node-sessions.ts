import type { CloseNodeSessionsRequest } from "@geminidb-sessions/validation";
import { type Command, type CommandContext, checkedInput, confirmClose, finish, kebab } from "../command.js";
import { flagValue, listValue, noPositionals } from "../command-line.js";
import { compact, exitCodes, failedResult, resultLine, type TargetResult, UsageError } from "../results.js";
import { type CallSetup, formatPlanned, planRequest, prepareCalls } from "../setup.js";
import { styleFor } from "../terminal.js";
import { requiredNodeId } from "./list-node-sessions.js";

/**
 * Closes sessions of one node with `body` after the dry run or confirmation, and prints
 * the outcome. Shared by close-node-sessions and close-idle-sessions, whose reports add
 * `extra` (the sessions chosen) to the node's result.
 */
export async function closeOnNode(
  command: Command,
  context: CommandContext,
  setup: CallSetup,
  nodeId: string,
  body: CloseNodeSessionsRequest,
  question: string,
  extra: Record<string, unknown> = {},
): Promise<number> {
  const { args, io, secrets } = context;
  const request = await checkedInput(() => planRequest(setup.options, secrets, (client) => client.closeNodeSessions({ nodeId, body })));
  if (flagValue(args, "dry-run")) {
    io.stderr.write(`dry run: nothing was sent; 1 request would be sent with the ${setup.describe}\n`);
    return finish(command, context, setup, [{ nodeId, status: "dry-run", request, ...extra }], () => formatPlanned([request]));
  }
  const declined = await confirmClose(command, context, setup, question);
  if (declined !== undefined) return declined;

  io.stderr.write(`closing sessions of node ${nodeId} in project ${setup.projectId} at ${setup.endpoint}, with the ${setup.describe}\n`);
  let result: TargetResult;
  try {
    const { requestId } = await setup.client.closeNodeSessions({ nodeId, body, signal: io.signal });
    result = compact<TargetResult>({ nodeId, status: "closed", httpStatus: 200, requestId, ...extra });
  } catch (error) {
    result = { ...failedResult({ nodeId }, error, secrets), ...extra };
  }
  const exitCode = finish(command, context, setup, [result], () => `${resultLine(result, styleFor(io.stdout, io.env), "closed")}\n`);
  if (exitCode === exitCodes.interrupted) io.stderr.write("interrupted: the node's sessions may or may not have been closed\n");
  return exitCode;
}

/** `geminidb-sessions close-node-sessions`: all of a node's sessions, or the ones named (operation closeNodeSessions). */
export const closeNodeSessions: Command = {
  name: kebab("closeNodeSessions"),
  summary: "close one node's sessions: all of them, or the ones named by ID",
  usage: ["--node-id <id> (--all | --session-id <id> [--session-id <id> ...]) (--region <r> | --endpoint <url>) [options]"],
  description: `Closes sessions of one node of a GeminiDB Redis instance
(DELETE /v3/{project_id}/redis/nodes/{node_id}/sessions): every session with --all,
or only the sessions named with --session-id (the ID column of list-node-sessions).`,
  options: [
    { name: "node-id", type: "string", value: "<id>", help: "the node" },
    { name: "all", type: "boolean", help: "close every session of the node (is_all: true)" },
    { name: "session-id", type: "string", multiple: true, value: "<id>", help: "a session to close; repeat it for several" },
  ],
  closes: true,
  examples: `
  # two sessions, by the IDs list-node-sessions shows
  geminidb-sessions close-node-sessions --region cn-north-4 --node-id 784b3fb7bac14bc490659950dd4f022fno12 \\
    --session-id 1131 --session-id 2323

  # every session of the node, no prompt
  geminidb-sessions close-node-sessions --region cn-north-4 --node-id 784b3fb7bac14bc490659950dd4f022fno12 --all --yes`,
  run,
};

async function run(context: CommandContext): Promise<number> {
  const { args, io, secrets } = context;
  noPositionals(args, "give sessions with --session-id <id>");
  const nodeId = requiredNodeId(args, closeNodeSessions.name);
  const all = flagValue(args, "all");
  const sessionIds = listValue(args, "session-id");
  if (all === sessionIds.length > 0)
    throw new UsageError("say which sessions: --all, or --session-id <id> (repeat it for several), not both");
  const setup = prepareCalls(args, io, secrets);
  const body: CloseNodeSessionsRequest = all ? { is_all: true } : { is_all: false, session_ids: sessionIds };
  const what = all ? "ALL sessions" : `${sessionIds.length} session(s) (${sessionIds.join(", ")})`;
  return closeOnNode(
    closeNodeSessions,
    context,
    setup,
    nodeId,
    body,
    `About to close ${what} of node ${nodeId} in project ${setup.projectId} at ${setup.endpoint}.\nThose clients will be disconnected.`,
  );
}
