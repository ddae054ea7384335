import { readFileSync } from "node:fs";
import { join } from "node:path";
import { demoIds } from "@geminidb-sessions/emulator";
import { describe, expect, it } from "vitest";
import { exitCodes } from "../src/exit-codes.js";
import { packageDir } from "./support/paths.js";
import { runBin } from "./support/run-bin.js";

const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string };

describe("--help and --version", () => {
  it("--help prints usage, every environment variable read, the exit codes and examples on stdout", async () => {
    for (const args of [["--help"], ["close", "--help"], ["-h"], ["help"]]) {
      const run = await runBin(args);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe("");
      for (const text of [
        "Usage: geminidb-sessions close --instance-id <id>",
        "GEMINIDB_TOKEN",
        "HUAWEICLOUD_SDK_AK",
        "HUAWEICLOUD_SDK_SK",
        "HUAWEICLOUD_SDK_SECURITY_TOKEN",
        "HUAWEICLOUD_SDK_PROJECT_ID",
        "NO_COLOR",
        "--dry-run",
        "--concurrency",
        "--timeout-ms",
        "--max-retries",
        "Exit codes:",
        "Examples:",
      ]) {
        expect(run.stdout).toContain(text);
      }
      for (const code of Object.values(exitCodes)) expect(run.stdout).toMatch(new RegExp(`^ {2}${code} +\\S`, "m"));
    }
  });

  it("--version prints the package version", async () => {
    const run = await runBin(["--version"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${version}\n`);
  });
});

describe("--token", () => {
  it("works, but warns on stderr that the token ends up in shell history and the process list, and never prints it", async () => {
    const token = "MIICommandLineTokenThatMustNotBePrinted0001";
    const run = await runBin(
      ["close", "--endpoint", "http://127.0.0.1:9", "--instance-id", demoIds.instances.redisProxy, "--token", token, "--dry-run"],
      { env: { HUAWEICLOUD_SDK_PROJECT_ID: demoIds.projectId } },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^warning: --token puts the token in your shell history and in the process list/m);
    expect(run.stderr).toContain("IAM token from --token");
    expect(run.stdout + run.stderr).not.toContain(token);
  });

  it("is preferred over GEMINIDB_TOKEN and AK/SK variables; without it, GEMINIDB_TOKEN beats AK/SK", async () => {
    const args = ["close", "--endpoint", "http://127.0.0.1:9", "--instance-id", demoIds.instances.redisProxy, "--dry-run"];
    const env = {
      HUAWEICLOUD_SDK_PROJECT_ID: demoIds.projectId,
      GEMINIDB_TOKEN: demoIds.token,
      HUAWEICLOUD_SDK_AK: demoIds.accessKey,
      HUAWEICLOUD_SDK_SK: demoIds.secretKey,
    };
    expect((await runBin(args, { env })).stdout).toContain("x-auth-token: ***");
    const { GEMINIDB_TOKEN: _token, ...akSkOnly } = env;
    expect((await runBin(args, { env: akSkOnly })).stdout).toMatch(/authorization: SDK-HMAC-SHA256/);
  });
});
