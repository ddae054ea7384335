import type { SessionsClient } from "@geminidb-sessions/client";
import type { ListNodeSessionsResponse, Session } from "@geminidb-sessions/validation";
import { attempt, type Command, type CommandContext, finish, kebab } from "../command.js";
import { noPositionals, type OptionDef, type ParsedArgs, stringValue, wholeNumber } from "../command-line.js";
import { compact, type TargetResult, UsageError } from "../results.js";
import { prepareCalls } from "../setup.js";
import { styleFor } from "../terminal.js";
import { sessionsTable } from "./list-instance-sessions.js";

type Listed = TargetResult & { pages?: number; data?: ListNodeSessionsResponse };

/** The page size used when walking every page: the largest the service allows. */
const walkPageSize = 100;

/** `--node-id` (required) and `--addr-prefix`, shared with close-idle-sessions. */
export const nodeSelectionOptions: readonly OptionDef[] = [
  { name: "node-id", type: "string", value: "<id>", help: "the node (list-instance-sessions shows an instance's node IDs)" },
  {
    name: "addr-prefix",
    type: "string",
    value: "<prefix>",
    help: "only sessions whose client address (IP:port) starts with it, e.g. 192.168.0. (addr_prefix)",
  },
];

/** The required `--node-id`. */
export function requiredNodeId(args: ParsedArgs, command: string): string {
  const nodeId = stringValue(args, "node-id");
  if (nodeId === undefined)
    throw new UsageError(`no node: give --node-id <id> (geminidb-sessions list-instance-sessions shows them)`, [`for ${command}`]);
  return nodeId;
}

/**
 * Every session of a node, walking each page with the client's iterator (which stops at
 * `total_count` and never asks past the end). Resolves the sessions, the last total, the
 * first page's request ID and how many pages were read.
 */
export async function allNodeSessions(
  client: SessionsClient,
  input: { nodeId: string; addrPrefix?: string; signal?: AbortSignal | undefined },
): Promise<{ sessions: Session[]; totalCount: number; requestId: string | undefined; pages: number }> {
  const sessions: Session[] = [];
  let totalCount = 0;
  let requestId: string | undefined;
  let pages = 0;
  for await (const page of client.pages.listNodeSessions({ ...input, limit: walkPageSize })) {
    if (pages === 0) requestId = page.requestId;
    pages++;
    sessions.push(...page.data.sessions);
    totalCount = page.data.total_count;
  }
  return { sessions, totalCount, requestId, pages };
}

/** `geminidb-sessions list-node-sessions`: one node's sessions, every page or one (operation listNodeSessions). */
export const listNodeSessions: Command = {
  name: kebab("listNodeSessions"),
  summary: "list one node's sessions (every page, or one with --limit/--offset)",
  usage: ["--node-id <id> [--addr-prefix <prefix>] [--limit <n>] [--offset <n>] (--region <r> | --endpoint <url>) [--json]"],
  description: `Lists one node's sessions (GET /v3/{project_id}/redis/nodes/{node_id}/sessions).
Without --limit or --offset it reads every page (${walkPageSize} sessions a request) and prints them
all; with either, only that page. The totals line gives the node's count (matching
--addr-prefix when given).`,
  options: [
    ...nodeSelectionOptions,
    { name: "limit", type: "string", value: "<n>", help: "one page of at most n sessions (1 to 100)" },
    { name: "offset", type: "string", value: "<n>", help: "one page starting after n sessions (0: the newest first)" },
  ],
  closes: false,
  examples: `
  geminidb-sessions list-node-sessions --region cn-north-4 --node-id 784b3fb7bac14bc490659950dd4f022fno12

  # the clients from one subnet, as JSON
  geminidb-sessions list-node-sessions --region cn-north-4 --node-id 784b3fb7bac14bc490659950dd4f022fno12 \\
    --addr-prefix 192.168.0. --json | jq -r '.results[0].data.sessions[].addr'

  # the second page of 20
  geminidb-sessions list-node-sessions --region cn-north-4 --node-id 784b3fb7bac14bc490659950dd4f022fno12 --limit 20 --offset 20`,
  run,
};

async function run(context: CommandContext): Promise<number> {
  const { args, io, secrets } = context;
  noPositionals(args, "give the node with --node-id");
  const nodeId = requiredNodeId(args, listNodeSessions.name);
  const addrPrefix = stringValue(args, "addr-prefix");
  // The client knows the bounds (limit 1 to 100); these only check the form.
  const limit = wholeNumber(args, "limit", "sessions", { min: 0, max: 1_000_000 });
  const offset = wholeNumber(args, "offset", "sessions", { min: 0, max: 2_147_483_647 });
  const setup = prepareCalls(args, io, secrets);
  const base = { nodeId, ...(addrPrefix === undefined ? {} : { addrPrefix }), signal: io.signal };
  const walk = limit === undefined && offset === undefined;
  const result: Listed = await attempt({ nodeId }, secrets, async () => {
    if (walk) {
      const { sessions, totalCount, requestId, pages } = await allNodeSessions(setup.client, base);
      return compact<Listed>({ nodeId, status: "ok", requestId, pages, data: { total_count: totalCount, sessions } });
    }
    const page = { ...(limit === undefined ? {} : { limit }), ...(offset === undefined ? {} : { offset }) };
    const { data, requestId } = await setup.client.listNodeSessions({ ...base, ...page });
    return compact<Listed>({ nodeId, status: "ok", requestId, pages: 1, data });
  });
  return finish(listNodeSessions, context, setup, [result], () => {
    if (result.data === undefined) return "";
    const { sessions, total_count: total } = result.data;
    const from = offset ?? 0;
    const totalLine = walk
      ? `${sessions.length} session(s) (node total ${total}, ${result.pages} page(s))`
      : sessions.length === 0
        ? `no sessions from offset ${from} (node total ${total})`
        : `sessions ${from + 1} to ${from + sessions.length} of ${total}`;
    return `${sessions.length === 0 ? "" : sessionsTable(sessions, styleFor(io.stdout, io.env), false)}${totalLine}\n`;
  });
}
