import type { Session } from "@geminidb-sessions/validation";
import { attempt, type Command, type CommandContext, finish } from "../command.js";
import { flagValue, noPositionals, stringValue, wholeNumber } from "../command-line.js";
import { UsageError } from "../results.js";
import { prepareCalls } from "../setup.js";
import { styleFor } from "../terminal.js";
import { clean } from "../text.js";
import { closeOnNode } from "./close-node-sessions.js";
import { sessionsTable } from "./list-instance-sessions.js";
import { allNodeSessions, nodeSelectionOptions, requiredNodeId } from "./list-node-sessions.js";

/** The sessions the filter picks: idle longer than `idleLongerThan` seconds and/or from an address starting with `addrPrefix`. */
export function selectSessions(sessions: readonly Session[], filter: { idleLongerThan?: number; addrPrefix?: string }): Session[] {
  return sessions.filter((session) => {
    if (filter.addrPrefix !== undefined && !session.addr.startsWith(filter.addrPrefix)) return false;
    if (filter.idleLongerThan !== undefined) {
      // `idle` is a string of seconds; a value that is not a whole number is never picked.
      if (!/^\d+$/.test(session.idle) || Number(session.idle) <= filter.idleLongerThan) return false;
    }
    return true;
  });
}

/**
 * `geminidb-sessions close-idle-sessions`: the selective close no vendor tool offers. Lists
 * the node's sessions (listNodeSessions, every page), keeps the ones the filter picks, and
 * closes exactly those by ID (closeNodeSessions with `session_ids`).
 */
export const closeIdleSessions: Command = {
  name: "close-idle-sessions",
  summary: "close only a node's sessions idle longer than N seconds and/or from an address prefix",
  usage: ["--node-id <id> (--idle-longer-than <seconds> | --addr-prefix <prefix>)... (--region <r> | --endpoint <url>) [options]"],
  description: `Lists every session of a node (list-node-sessions), keeps those idle for more than
--idle-longer-than seconds and/or whose client address starts with --addr-prefix (both
must hold when both are given), shows them, and closes exactly those by ID
(close-node-sessions --session-id ...). --dry-run shows the sessions chosen and the
request, and sends no close. Sessions that appear after the listing are never closed.`,
  options: [
    ...nodeSelectionOptions,
    { name: "idle-longer-than", type: "string", value: "<seconds>", help: "only sessions idle for more than this many seconds" },
  ],
  closes: true,
  examples: `
  # what would close: sessions idle for more than 10 minutes
  geminidb-sessions close-idle-sessions --region cn-north-4 --node-id 784b3fb7bac14bc490659950dd4f022fno12 \\
    --idle-longer-than 600 --dry-run

  # close the idle ones from one subnet, no prompt
  geminidb-sessions close-idle-sessions --region cn-north-4 --node-id 784b3fb7bac14bc490659950dd4f022fno12 \\
    --idle-longer-than 600 --addr-prefix 10.0.3. --yes`,
  run,
};

async function run(context: CommandContext): Promise<number> {
  const { args, io, secrets } = context;
  const command = closeIdleSessions;
  noPositionals(args, "choose sessions with --idle-longer-than and/or --addr-prefix");
  const nodeId = requiredNodeId(args, command.name);
  const idleLongerThan = wholeNumber(args, "idle-longer-than", "seconds", { min: 0, max: 2_147_483_647 });
  const addrPrefix = stringValue(args, "addr-prefix");
  if (idleLongerThan === undefined && addrPrefix === undefined) {
    throw new UsageError("choose sessions with --idle-longer-than <seconds> and/or --addr-prefix <prefix>", [
      "to close every session of the node: geminidb-sessions close-node-sessions --node-id <id> --all",
    ]);
  }
  const setup = prepareCalls(args, io, secrets);
  const filter = { ...(idleLongerThan === undefined ? {} : { idleLongerThan }), ...(addrPrefix === undefined ? {} : { addrPrefix }) };

  io.stderr.write(`listing the sessions of node ${nodeId} at ${setup.endpoint}\n`);
  let listed: Session[] = [];
  const listing = await attempt({ nodeId }, secrets, async () => {
    // addr_prefix narrows the listing on the server; the filter checks it again.
    const input = { nodeId, ...(addrPrefix === undefined ? {} : { addrPrefix }), signal: io.signal };
    listed = (await allNodeSessions(setup.client, input)).sessions;
    return { nodeId, status: "ok" } as const;
  });
  if (listing.status !== "ok") return finish(command, context, setup, [listing]);

  const selected = selectSessions(listed, filter);
  const criteria = [
    ...(idleLongerThan === undefined ? [] : [`idle for more than ${idleLongerThan} s`]),
    ...(addrPrefix === undefined ? [] : [`from ${clean(addrPrefix)}*`]),
  ].join(" and ");
  const extra = { listed: listed.length, filter, selected };
  const dryRun = flagValue(args, "dry-run");
  if (!flagValue(args, "json")) {
    const style = styleFor(io.stdout, io.env);
    const verb = dryRun ? "would close" : "to close";
    io.stdout.write(
      `${selected.length} of ${listed.length} session(s) ${criteria}, ${verb}:\n` +
        (selected.length === 0 ? "" : sessionsTable(selected, style, false)) +
        (dryRun && selected.length > 0 ? "\n" : ""),
    );
  }
  if (selected.length === 0) {
    io.stderr.write("no session matches: nothing to close, nothing was sent\n");
    return finish(command, context, setup, [{ nodeId, status: "closed", ...extra }]);
  }
  const ids = selected.map((session) => session.id);
  const shown = ids.slice(0, 20).map(clean).join(", ") + (ids.length > 20 ? `, ... and ${ids.length - 20} more` : "");
  return closeOnNode(
    command,
    context,
    setup,
    nodeId,
    { is_all: false, session_ids: ids },
    `About to close ${ids.length} session(s) of node ${nodeId} (${criteria}): ${shown}.`,
    extra,
  );
}
