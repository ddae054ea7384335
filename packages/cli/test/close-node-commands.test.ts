import { demoIds } from "@geminidb-sessions/emulator";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
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
});
afterAll(() => emu.close());

const instance = demoIds.instances.redisCluster;
const node = demoIds.nodes.redisCluster;
const where = () => ["--endpoint", emu.emulator.url];

type Session = { id: string; addr: string; idle: string };
/** The node's sessions, read through the API (the CLI's own listing). */
async function sessionsOfNode(): Promise<Session[]> {
  const run = await runBin(["list-node-sessions", ...where(), "--node-id", node, "--json"], { env: emu.tokenEnv });
  return (JSON.parse(run.stdout) as CliReport & { results: Array<{ data: { sessions: Session[] } }> }).results[0]?.data.sessions ?? [];
}

/** A node with 3 sessions idle for an hour and 2 fresh ones. */
async function idleAndFresh(): Promise<{ idle: string[]; fresh: string[] }> {
  await runBin(["close-node-sessions", ...where(), "--node-id", node, "--all", "--yes"], { env: emu.tokenEnv });
  await emu.emulator.world.openSessions(instance, 3, node, { idleSeconds: 3600 });
  const idle = (await sessionsOfNode()).map((session) => session.id);
  await emu.emulator.world.openSessions(instance, 2, node);
  const fresh = (await sessionsOfNode()).map((session) => session.id).filter((id) => !idle.includes(id));
  emu.requests.length = 0;
  return { idle, fresh };
}

describe("close-node-sessions", () => {
  beforeEach(async () => {
    await emu.emulator.world.openSessions(instance, 4, node);
    emu.requests.length = 0;
  });

  it("--all closes every session of the node (is_all: true), exit 0", async () => {
    const run = await runBin(["close-node-sessions", ...where(), "--node-id", node, "--all", "--yes"], { env: emu.tokenEnv });
    expect(run.code, run.stderr).toBe(exitCodes.success);
    expect(run.stdout).toMatch(new RegExp(`^closed +${node} +request \\S+$`, "m"));
    expect(await sessionsOfNode()).toEqual([]);
  });

  it("--session-id closes only the sessions named", async () => {
    const [first, second, ...rest] = (await sessionsOfNode()).map((session) => session.id);
    const run = await runBin(
      ["close-node-sessions", ...where(), "--node-id", node, "--session-id", first ?? "", "--session-id", second ?? "", "--yes", "--json"],
      { env: emu.tokenEnv },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      command: "close-node-sessions",
      outcome: "success",
      results: [{ nodeId: node, status: "closed" }],
    });
    expect((await sessionsOfNode()).map((session) => session.id)).toEqual(rest);
  });

  it("--dry-run prints the signed request with its body, masked, and sends nothing", async () => {
    const run = await runBin(["close-node-sessions", ...where(), "--node-id", node, "--session-id", "7", "--dry-run"], {
      env: emu.akSkEnv,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`DELETE ${emu.emulator.url}/v3/${demoIds.projectId}/redis/nodes/${node}/sessions\n`);
    expect(run.stdout).toMatch(/^authorization: SDK-HMAC-SHA256 Access=\*\*\*, SignedHeaders=\S+, Signature=[0-9a-f]{64}$/m);
    expect(run.stdout).toContain('{"is_all":false,"session_ids":["7"]}');
    expect(run.stdout + run.stderr).not.toContain(demoIds.secretKey);
    expect(emu.requests).toEqual([]);
  });

  it.each([
    ["neither --all nor --session-id", [] as string[], /say which sessions: --all, or --session-id/],
    ["both --all and --session-id", ["--all", "--session-id", "1"], /not both/],
    ["no --yes without a terminal", ["--all"], /refusing to close sessions without confirmation/],
    ["an empty --session-id", ["--session-id", "", "--yes"], /--session-id: /],
  ])("exit 2, nothing sent: %s", async (_name, extra, message) => {
    const run = await runBin(["close-node-sessions", ...where(), "--node-id", node, ...extra], { env: emu.tokenEnv });
    expect(run.code, run.stderr).toBe(exitCodes.usage);
    expect(run.stderr).toMatch(message);
    expect(emu.requests).toEqual([]);
  });

  it("1 for a node whose instance is frozen (DBS.200011); 4 for a node that does not exist", async () => {
    const frozen = await runBin(["close-node-sessions", ...where(), "--node-id", demoIds.nodes.frozen, "--all", "--yes"], {
      env: emu.tokenEnv,
    });
    expect(frozen.code).toBe(exitCodes.failure);
    expect(frozen.stderr).toContain("DBS.200011");
    const missing = await runBin(["close-node-sessions", ...where(), "--node-id", demoIds.unknownNodeId, "--all", "--yes"], {
      env: emu.tokenEnv,
    });
    expect(missing.code).toBe(exitCodes.notFound);
  });
});

describe("close-idle-sessions", () => {
  it("--dry-run shows exactly the sessions that would close, and sends no close", async () => {
    const { idle, fresh } = await idleAndFresh();
    const run = await runBin(["close-idle-sessions", ...where(), "--node-id", node, "--idle-longer-than", "600", "--dry-run"], {
      env: emu.tokenEnv,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`3 of 5 session(s) idle for more than 600 s, would close:`);
    const rows = run.stdout.split("\n").filter((line) => /^\d+ +\S+:\d+ /.test(line));
    expect(rows.map((line) => line.split(/ +/)[0]).sort()).toEqual([...idle].sort());
    expect(run.stdout).toContain(JSON.stringify({ is_all: false, session_ids: idle }));
    expect(emu.requests.map((request) => request.method)).toEqual(["GET"]);
    expect((await sessionsOfNode()).map((session) => session.id).sort()).toEqual([...idle, ...fresh].sort());
  });

  it("closes only the idle ones, by ID, leaving the fresh ones connected (exit 0, counts through the API)", async () => {
    const { fresh } = await idleAndFresh();
    const run = await runBin(["close-idle-sessions", ...where(), "--node-id", node, "--idle-longer-than", "600", "--yes", "--json"], {
      env: emu.tokenEnv,
    });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as CliReport & { results: Array<{ listed: number; selected: Session[] }> };
    expect(report.results[0]).toMatchObject({ nodeId: node, status: "closed", listed: 5 });
    expect(report.results[0]?.selected).toHaveLength(3);
    expect((await sessionsOfNode()).map((session) => session.id).sort()).toEqual([...fresh].sort());
  });

  it("with --addr-prefix too, both must hold; the prefix is also sent to the service", async () => {
    await idleAndFresh();
    const sessions = await sessionsOfNode();
    // The address of one idle session, whole (IP:port): only that session is both idle and from there.
    const addr = sessions.find((session) => Number(session.idle) > 600)?.addr ?? "none";
    emu.requests.length = 0;
    const run = await runBin(
      ["close-idle-sessions", ...where(), "--node-id", node, "--addr-prefix", addr, "--idle-longer-than", "600", "--dry-run", "--json"],
      {
        env: emu.tokenEnv,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    const selected = (JSON.parse(run.stdout) as CliReport & { results: Array<{ selected: Session[] }> }).results[0]?.selected ?? [];
    expect(selected.map((session) => session.addr)).toEqual([addr]);
    expect(new URL(emu.requests[0]?.target ?? "", "http://x").searchParams.get("addr_prefix")).toBe(addr);
  });

  it("nothing matches: says so, sends no close, exit 0", async () => {
    await idleAndFresh();
    const run = await runBin(["close-idle-sessions", ...where(), "--node-id", node, "--idle-longer-than", "999999", "--yes"], {
      env: emu.tokenEnv,
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("no session matches: nothing to close");
    expect(emu.requests.filter((request) => request.method === "DELETE")).toEqual([]);
    expect(await sessionsOfNode()).toHaveLength(5);
  });

  it("needs a filter: without one it points to close-node-sessions --all (exit 2)", async () => {
    const run = await runBin(["close-idle-sessions", ...where(), "--node-id", node, "--yes"], { env: emu.tokenEnv });
    expect(run.code).toBe(exitCodes.usage);
    expect(run.stderr).toContain("close-node-sessions --node-id <id> --all");
  });
});
