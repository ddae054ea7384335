import type { NodeSessionStatistics } from "@geminidb-sessions/validation";
import { attempt, type Command, type CommandContext, finish, kebab } from "../command.js";
import { noPositionals, stringValue } from "../command-line.js";
import { compact, type TargetResult, UsageError } from "../results.js";
import { prepareCalls } from "../setup.js";
import { type Style, styleFor } from "../terminal.js";
import { clean } from "../text.js";

type StatisticsResult = TargetResult & { data?: NodeSessionStatistics };

/** A node's statistics for people: totals, then the busiest source IPs and databases. */
function formatStatistics(nodeId: string, data: NodeSessionStatistics, style: Style): string {
  const list = (items: ReadonlyArray<{ name: string; count: number }>) =>
    items.length === 0 ? "-" : items.map((item) => `${clean(item.name)} (${item.count})`).join(", ");
  return (
    `${style.bold(`node ${clean(nodeId)}`)}: ${data.total_connection_count} connection(s), ${data.active_connection_count} active\n` +
    `  top source IPs: ${list(data.top_source_ips.map((top) => ({ name: top.client_ip, count: top.connection_count })))}\n` +
    `  top databases:  ${list(data.top_dbs.map((top) => ({ name: top.db, count: top.connection_count })))}\n`
  );
}

/** `geminidb-sessions get-node-session-statistics`: one node's, or every node of an instance's (operation getNodeSessionStatistics). */
export const getNodeSessionStatistics: Command = {
  name: kebab("getNodeSessionStatistics"),
  summary: "connection statistics of one node, or of every node of an instance",
  usage: ["--node-id <id> (--region <r> | --endpoint <url>) [--json]", "--instance-id <id> ..."],
  description: `Shows a node's connection count, how many are active, and its ten busiest source IPs
and databases (GET /v3/{project_id}/redis/nodes/{node_id}/session-statistics). With
--instance-id instead of --node-id, the instance's nodes are found with
list-instance-sessions and each node's statistics are shown.`,
  options: [
    { name: "node-id", type: "string", value: "<id>", help: "the node" },
    { name: "instance-id", type: "string", value: "<id>", help: "every node of this instance instead" },
  ],
  closes: false,
  examples: `
  geminidb-sessions get-node-session-statistics --region cn-north-4 --node-id 784b3fb7bac14bc490659950dd4f022fno12

  # every node of an instance, as JSON
  geminidb-sessions get-node-session-statistics --region cn-north-4 --instance-id c865f921f3dd45198f209a607533a779in12 --json`,
  run,
};

async function run(context: CommandContext): Promise<number> {
  const { args, io, secrets } = context;
  noPositionals(args, "give --node-id or --instance-id");
  const nodeOption = stringValue(args, "node-id");
  const instanceId = stringValue(args, "instance-id");
  if ((nodeOption === undefined) === (instanceId === undefined)) {
    throw new UsageError("give one of --node-id <id> (one node) or --instance-id <id> (every node of the instance)");
  }
  const setup = prepareCalls(args, io, secrets);

  let nodeIds = [nodeOption as string];
  if (instanceId !== undefined) {
    const listed = await attempt({ instanceId }, secrets, async () => {
      const { data } = await setup.client.listInstanceSessions({ instanceId, signal: io.signal });
      nodeIds = data.node_sessions.map((node) => node.node_id);
      return { instanceId, status: "ok" } as const;
    });
    // The instance could not be listed: one failed result for it, and no node was asked.
    if (listed.status !== "ok") return finish(getNodeSessionStatistics, context, setup, [listed]);
  }

  const statistics = async (nodeId: string) => {
    const { data, requestId } = await setup.client.getNodeSessionStatistics({ nodeId, signal: io.signal });
    return compact<StatisticsResult>({ nodeId, status: "ok", requestId, data });
  };
  const results: StatisticsResult[] = [];
  // A node ID the service listed is not the user's input: its refusal is that node's failure.
  for (const nodeId of nodeIds) results.push(await attempt({ nodeId }, secrets, () => statistics(nodeId), instanceId !== undefined));
  return finish(getNodeSessionStatistics, context, setup, results, () => {
    const style = styleFor(io.stdout, io.env);
    const ok = results.filter((result) => result.data !== undefined);
    const text = ok.map((result) => formatStatistics(result.nodeId ?? "-", result.data as NodeSessionStatistics, style)).join("");
    if (instanceId === undefined) return text;
    const total = ok.reduce((sum, result) => sum + (result.data?.total_connection_count ?? 0), 0);
    return `${text}instance ${instanceId}: ${total} connection(s) on ${ok.length} of ${nodeIds.length} node(s)\n`;
  });
}
