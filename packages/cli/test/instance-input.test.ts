import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { demoIds } from "@geminidb-sessions/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CliReport } from "../src/index.js";
import { startTestEmulator, type TestEmulator } from "./support/emulator.js";
import { runBin } from "./support/run-bin.js";

let emu: TestEmulator;
let dir: string;
beforeAll(async () => {
  emu = await startTestEmulator();
  dir = await mkdtemp(join(tmpdir(), "geminidb-cli-ids-"));
});
afterEach(() => {
  emu.requests.length = 0;
});
afterAll(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

const list = `# instances to clear
${demoIds.instances.redisProxy}   # the cache

  ${demoIds.unknownInstanceId}
`;

const closedIds = (stdout: string) => (JSON.parse(stdout) as CliReport).results.map((result) => [result.instanceId, result.status]);

describe("instance IDs from files and stdin", () => {
  it("reads piped stdin when no ID is given: one per line, blank lines and # comments ignored", async () => {
    const run = await runBin(["close-instance-sessions", "--endpoint", emu.emulator.url, "--yes", "--json"], {
      env: emu.tokenEnv,
      stdin: list,
    });
    expect(run.code).toBe(5);
    expect(closedIds(run.stdout)).toEqual([
      [demoIds.instances.redisProxy, "closed"],
      [demoIds.unknownInstanceId, "failed"],
    ]);
  });

  it("reads --from-file - from stdin, together with --instance-id, and closes a repeated ID once", async () => {
    const run = await runBin(
      [
        "close-instance-sessions",
        "--endpoint",
        emu.emulator.url,
        "--instance-id",
        demoIds.unknownInstanceId,
        "--from-file",
        "-",
        "--yes",
        "--json",
      ],
      { env: emu.tokenEnv, stdin: list },
    );
    expect(closedIds(run.stdout)).toEqual([
      [demoIds.unknownInstanceId, "failed"],
      [demoIds.instances.redisProxy, "closed"],
    ]);
    expect(run.stderr).toContain(`note: ${demoIds.unknownInstanceId} is listed more than once; it is closed once`);
    expect(emu.requests).toHaveLength(2);
  });

  it("reads --from-file <path>, naming file and line of a malformed ID", async () => {
    const file = join(dir, "ids.txt");
    await writeFile(file, `${demoIds.instances.redisProxy}\n\nnot-an-id\n`);
    const bad = await runBin(["close-instance-sessions", "--endpoint", emu.emulator.url, "--from-file", file, "--yes"], {
      env: emu.tokenEnv,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`  ${file}:3: `);
    expect(emu.requests).toEqual([]);

    await writeFile(file, list);
    const good = await runBin(["close-instance-sessions", "--endpoint", emu.emulator.url, "--from-file", file, "--yes", "--json"], {
      env: emu.tokenEnv,
    });
    expect(closedIds(good.stdout).map(([id]) => id)).toEqual([demoIds.instances.redisProxy, demoIds.unknownInstanceId]);
  });

  it("does not read stdin when IDs are given on the command line", async () => {
    const run = await runBin(
      ["close-instance-sessions", "--endpoint", emu.emulator.url, "--instance-id", demoIds.instances.redisProxy, "--yes", "--json"],
      {
        env: emu.tokenEnv,
        stdin: `${demoIds.unknownInstanceId}\n`,
      },
    );
    expect(run.code).toBe(0);
    expect(closedIds(run.stdout)).toEqual([[demoIds.instances.redisProxy, "closed"]]);
  });

  it("refuses a list holding only comments", async () => {
    const run = await runBin(["close-instance-sessions", "--endpoint", emu.emulator.url, "--yes"], {
      env: emu.tokenEnv,
      stdin: "# nothing\n\n",
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no instance IDs");
  });
});
