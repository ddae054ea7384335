import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { isRedisServerInstalled } from "@geminidb-sessions/emulator";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./support/paths.js";

const run = promisify(execFile);

describe("scripts/demo.ts (pnpm demo, the end of pnpm main)", () => {
  it("lists, closes one node's idle sessions, then all, with every count from the API, and exits 0", { timeout: 180_000 }, async () => {
    const tsx = join(repoRoot, "node_modules/tsx/dist/cli.mjs");
    const { stdout } = await run(process.execPath, [tsx, "scripts/demo.ts"], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? "" },
    });
    expect(stdout).toContain(isRedisServerInstalled() ? "Nodes: real redis-server processes" : "Nodes: in memory");

    // The counts table at the end: node, at start, after close-idle-sessions, after close-instance-sessions.
    const table = stdout.split("Sessions per node, each count from list-instance-sessions (the API):\n")[1] ?? "";
    const rows = [...table.matchAll(/^ {2}([0-9a-f]{32}no\d{2}) +(\d+) +(\d+) +(\d+)$/gm)].map((match) => match.slice(1, 5).map(String));
    expect(rows).toHaveLength(3);
    const [first, ...others] = rows.map(([node, start, afterIdle, end]) => ({
      node,
      start: Number(start),
      afterIdle: Number(afterIdle),
      end: Number(end),
    }));
    // The demo world's nodes hold 3, 4 and 5 sessions; the first one's were idle and closed, its 2 new ones kept.
    expect(first).toMatchObject({ start: 3, afterIdle: 2, end: 0 });
    expect(others.map(({ start, afterIdle, end }) => [start, afterIdle, end])).toEqual([
      [4, 4, 0],
      [5, 5, 0],
    ]);
    // The same counts as list-instance-sessions printed them, step by step.
    expect(stdout).toContain(`node ${first?.node}: 2 session(s)`);

    // Every command is printed pasteable, and the preamble says what it needs.
    expect(stdout).toContain("alias geminidb-sessions='node packages/cli/dist/bin.js'");
    expect(stdout).toMatch(/^ {2}export GEMINIDB_TOKEN=\S+ +# the emulator's demo token: public/m);
    const commands = [...stdout.matchAll(/^\$ geminidb-sessions (\S+)/gm)].map((match) => match[1]);
    expect(new Set(commands)).toEqual(
      new Set([
        "list-instance-sessions",
        "get-node-session-statistics",
        "list-node-sessions",
        "close-idle-sessions",
        "close-instance-sessions",
      ]),
    );
    expect(stdout).toMatch(
      /^\$ geminidb-sessions close-idle-sessions --endpoint http:\/\/127\.0\.0\.1:\d+ --node-id \S+ --idle-longer-than \d+ --dry-run$/m,
    );
    // The dry run showed exactly the 3 idle sessions it would close.
    expect(stdout).toMatch(/^3 of 5 session\(s\) idle for more than \d+ s, would close:$/m);
    expect(stdout).toContain("Done: the idle sessions of node");
    expect(stdout).toContain("Emulator stopped.");
  });
});
