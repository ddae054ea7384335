import type { ListInstanceSessionsResponse, Session } from "@geminidb-sessions/validation";
import { attempt, type Command, type CommandContext, finish, kebab } from "../command.js";
import { noPositionals, stringValue } from "../command-line.js";
import { compact, type TargetResult, UsageError } from "../results.js";
import { prepareCalls } from "../setup.js";
import { type Style, styleFor } from "../terminal.js";
import { clean, formatTable } from "../text.js";

/** The sessions table every listing prints: one row per session, node first when several nodes are shown. */
export function sessionsTable(sessions: ReadonlyArray<Session & { node?: string }>, style: Style, withNode: boolean): string {
  const header = [...(withNode ? ["NODE"] : []), "ID", "ADDR", "NAME", "AGE", "IDLE", "DB", "CMD"];
  const rows = sessions.map((session) => [
    ...(withNode ? [session.node ?? "-"] : []),
    session.id,
    session.addr,
    session.name || "-",
    session.age,
    session.idle,
    session.db ?? "-",
    session.cmd ?? "-",
  ]);
  return formatTable(header, rows, undefined, style.bold);
}

/** `geminidb-sessions list-instance-sessions`: every node's sessions of an instance (operation listInstanceSessions). */
export const listInstanceSessions: Command = {
  name: kebab("listInstanceSessions"),
  summary: "list an instance's sessions, node by node",
  usage: ["--instance-id <id> [--node-id <id>] (--region <r> | --endpoint <url>) [--json]"],
  description: `Lists the sessions of every node of a GeminiDB Redis instance
(GET /v3/{project_id}/instances/{instance_id}/sessions): one table row per session,
then each node's session count. With --node-id, only that node.`,
  options: [
    { name: "instance-id", type: "string", value: "<id>", help: "the instance" },
    { name: "node-id", type: "string", value: "<id>", help: "only this node of the instance" },
  ],
  closes: false,
  examples: `
  geminidb-sessions list-instance-sessions --region cn-north-4 --instance-id c865f921f3dd45198f209a607533a779in12

  # the node IDs of an instance, for the node commands
  geminidb-sessions list-instance-sessions --region cn-north-4 --instance-id c865f921f3dd45198f209a607533a779in12 --json \\
    | jq -r '.results[0].data.node_sessions[].node_id'`,
  run,
};

async function run(context: CommandContext): Promise<number> {
  const { args, io, secrets } = context;
  noPositionals(args, "give the instance with --instance-id");
  const instanceId = stringValue(args, "instance-id");
  if (instanceId === undefined) throw new UsageError("no instance: give --instance-id <id>");
  const nodeId = stringValue(args, "node-id");
  const setup = prepareCalls(args, io, secrets);
  const result: TargetResult & { data?: ListInstanceSessionsResponse } = await attempt({ instanceId }, secrets, async () => {
    const input = { instanceId, ...(nodeId === undefined ? {} : { nodeId }), signal: io.signal };
    const { data, requestId } = await setup.client.listInstanceSessions(input);
    return compact<TargetResult & { data: ListInstanceSessionsResponse }>({ instanceId, status: "ok", requestId, data });
  });
  return finish(listInstanceSessions, context, setup, [result], () => {
    if (result.data === undefined) return "";
    const nodes = result.data.node_sessions;
    const sessions = nodes.flatMap((node) => node.sessions.map((session) => ({ ...session, node: node.node_id })));
    const counts = nodes.map((node) => `${clean(`node ${node.node_id}: ${node.total_count} session(s)`)}\n`).join("");
    const table = sessions.length === 0 ? "" : sessionsTable(sessions, styleFor(io.stdout, io.env), true);
    return `${table}${counts}${sessions.length} session(s) on ${nodes.length} node(s)\n`;
  });
}
