import { demoIds } from "@geminidb-sessions/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CliReport } from "../src/index.js";
import { exitCodes } from "../src/results.js";
import { startTestEmulator, type TestEmulator } from "./support/emulator.js";
import { runBin } from "./support/run-bin.js";

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterEach(() => {
  emu.emulator.faults.clear();
  emu.requests.length = 0;
});
afterAll(() => emu.close());

const [node1, node2, node3] = demoIds.nodes.redisProxy;
const where = () => ["--endpoint", emu.emulator.url];
type DataReport = CliReport & { results: Array<{ data?: Record<string, unknown>; pages?: number }> };

describe("list-instance-sessions", () => {
  it("prints one row per session and each node's count, exit 0", async () => {
    const counts = await emu.emulator.world.sessionCounts(demoIds.instances.redisProxy);
    const run = await runBin(["list-instance-sessions", ...where(), "--instance-id", demoIds.instances.redisProxy], { env: emu.tokenEnv });
    expect(run.code, run.stderr).toBe(exitCodes.success);
    expect(run.stdout).toMatch(/^NODE +ID +ADDR +NAME +AGE +IDLE +DB +CMD$/m);
    for (const node of [node1, node2, node3]) {
      expect(run.stdout).toContain(`node ${node}: ${counts[node]} session(s)`);
      expect(run.stdout.match(new RegExp(`^${node} `, "gm"))).toHaveLength(counts[node] ?? -1);
    }
    const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
    expect(run.stdout).toContain(`${total} session(s) on 3 node(s)`);
  });

  it("--json holds the service's answer exactly; --node-id narrows it to one node", async () => {
    const run = await runBin(
      ["list-instance-sessions", ...where(), "--instance-id", demoIds.instances.redisProxy, "--node-id", node2, "--json"],
      {
        env: emu.tokenEnv,
      },
    );
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as DataReport;
    expect(report).toMatchObject({ command: "list-instance-sessions", outcome: "success", exitCode: 0, counts: { total: 1, ok: 1 } });
    const data = report.results[0]?.data as { node_sessions: Array<{ node_id: string; total_count: number }> };
    expect(data.node_sessions.map((node) => node.node_id)).toEqual([node2]);
    expect(emu.requests.map((request) => request.target)).toEqual([
      `/v3/${demoIds.projectId}/instances/${demoIds.instances.redisProxy}/sessions?node_id=${node2}`,
    ]);
  });

  it("4 for an instance that does not exist; 3 when the token is refused", async () => {
    const missing = await runBin(["list-instance-sessions", ...where(), "--instance-id", demoIds.unknownInstanceId], { env: emu.tokenEnv });
    expect(missing.code).toBe(exitCodes.notFound);
    expect(missing.stderr).toContain("DBS.200002");
    expect(missing.stdout).toBe("");
    const refused = await runBin(["list-instance-sessions", ...where(), "--instance-id", demoIds.instances.redisProxy], {
      env: { ...emu.tokenEnv, GEMINIDB_TOKEN: demoIds.expiredToken },
    });
    expect(refused.code).toBe(exitCodes.auth);
    expect(refused.stdout + refused.stderr).not.toContain(demoIds.expiredToken);
  });
});

describe("list-node-sessions", () => {
  it("walks every page with the iterator: 250 sessions in 3 requests of 100, never past the end", async () => {
    const node = demoIds.nodes.redisCluster;
    await emu.emulator.world.openSessions(
      demoIds.instances.redisCluster,
      250 - (await emu.emulator.world.totalSessions(demoIds.instances.redisCluster)),
      node,
    );
    const run = await runBin(["list-node-sessions", ...where(), "--node-id", node, "--json"], { env: emu.tokenEnv });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as DataReport;
    const data = report.results[0]?.data as { total_count: number; sessions: Array<{ id: string }> };
    expect(data.total_count).toBe(250);
    expect(new Set(data.sessions.map((session) => session.id)).size).toBe(250);
    expect(report.results[0]?.pages).toBe(3);
    expect(emu.requests.map((request) => new URL(request.target, "http://x").searchParams.get("offset") ?? "0")).toEqual([
      "0",
      "100",
      "200",
    ]);

    const table = await runBin(["list-node-sessions", ...where(), "--node-id", node], { env: emu.tokenEnv });
    expect(table.stdout).toContain("250 session(s) (node total 250, 3 page(s))");
    expect(table.stdout.split("\n").filter((line) => /^\d+ +\S+:\d+ /.test(line))).toHaveLength(250);
  });

  it("--limit/--offset ask for one page only; --addr-prefix is sent as addr_prefix", async () => {
    const run = await runBin(
      ["list-node-sessions", ...where(), "--node-id", node3, "--limit", "2", "--offset", "1", "--addr-prefix", "192.0.2."],
      {
        env: emu.tokenEnv,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(emu.requests).toHaveLength(1);
    const query = new URL(emu.requests[0]?.target ?? "", "http://x").searchParams;
    expect([query.get("limit"), query.get("offset"), query.get("addr_prefix")]).toEqual(["2", "1", "192.0.2."]);
    expect(run.stdout).toMatch(/^sessions 2 to 3 of \d+$/m);
  });

  it("usage errors name the flag and send nothing: no --node-id, a malformed one, --limit 0", async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /no node: give --node-id <id>/],
      [["--node-id", "NODE1"], /--node-id: .*nothing was sent/],
      [["--node-id", node1, "--limit", "0"], /--limit: .*nothing was sent/],
    ];
    for (const [args, message] of cases) {
      const run = await runBin(["list-node-sessions", ...where(), ...args], { env: emu.tokenEnv });
      expect(run.code, run.stderr).toBe(exitCodes.usage);
      expect(run.stderr).toMatch(message);
    }
    expect(emu.requests).toEqual([]);
  });

  it("4 for a node that does not exist (DBS.200013)", async () => {
    const run = await runBin(["list-node-sessions", ...where(), "--node-id", demoIds.unknownNodeId], { env: emu.tokenEnv });
    expect(run.code).toBe(exitCodes.notFound);
    expect(run.stderr).toMatch(/remedy: /);
  });
});

describe("get-node-session-statistics", () => {
  it("one node: totals, top source IPs and databases", async () => {
    const run = await runBin(["get-node-session-statistics", ...where(), "--node-id", node1], { env: emu.tokenEnv });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^node ${node1}: \\d+ connection\\(s\\), \\d+ active$`, "m"));
    expect(run.stdout).toMatch(/^ {2}top source IPs: \S+ \(\d+\)/m);
    expect(run.stdout).toMatch(/^ {2}top databases: +\S+ \(\d+\)/m);
  });

  it("--instance-id: every node of the instance, found through list-instance-sessions", async () => {
    const counts = await emu.emulator.world.sessionCounts(demoIds.instances.redisProxy);
    const run = await runBin(["get-node-session-statistics", ...where(), "--instance-id", demoIds.instances.redisProxy, "--json"], {
      env: emu.tokenEnv,
    });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { results: Array<{ nodeId: string; data: { total_connection_count: number } }> };
    expect(report.results.map((result) => [result.nodeId, result.data.total_connection_count])).toEqual(
      [node1, node2, node3].map((node) => [node, counts[node]]),
    );
    expect(emu.requests.map((request) => request.target.split("/").at(-1))).toEqual([
      "sessions",
      "session-statistics",
      "session-statistics",
      "session-statistics",
    ]);
  });

  it("needs exactly one of --node-id and --instance-id (exit 2)", async () => {
    const both = await runBin(
      ["get-node-session-statistics", ...where(), "--node-id", node1, "--instance-id", demoIds.instances.redisProxy],
      {
        env: emu.tokenEnv,
      },
    );
    expect(both.code).toBe(exitCodes.usage);
    const neither = await runBin(["get-node-session-statistics", ...where()], { env: emu.tokenEnv });
    expect(neither.code).toBe(exitCodes.usage);
    expect(neither.stderr).toContain("give one of --node-id <id> (one node) or --instance-id <id>");
  });
});
