import { readFileSync } from "node:fs";
import { join } from "node:path";
import { demoIds } from "@geminidb-sessions/emulator";
import { describe, expect, it } from "vitest";
import { exitCodes } from "../src/results.js";
import { commands } from "../src/run-cli.js";
import { packageDir } from "./support/paths.js";
import { runBin } from "./support/run-bin.js";

const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string };

describe("--help and --version", () => {
  it("--help lists every command, with the environment variables read, the exit codes and examples, on stdout", async () => {
    for (const args of [["--help"], ["-h"], ["help"]]) {
      const run = await runBin(args);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe("");
      for (const command of commands) expect(run.stdout).toMatch(new RegExp(`^ {2}${command.name} +\\S`, "m"));
      expect(run.stdout).toContain("Exit codes:");
    }
  });

  it.each(commands.map((command) => command.name))(
    "%s --help prints its usage, options, environment, exit codes and examples",
    async (name) => {
      for (const args of [
        [name, "--help"],
        [name, "-h"],
      ]) {
        const run = await runBin(args);
        expect(run.code).toBe(0);
        expect(run.stderr).toBe("");
        const command = commands.find((known) => known.name === name);
        for (const option of command?.options ?? []) expect(run.stdout).toContain(`--${option.name}`);
        if (command?.closes) for (const flag of ["--dry-run", "--yes"]) expect(run.stdout).toContain(flag);
        // The examples use this command.
        const examples = run.stdout.split("Examples:\n")[1] ?? "";
        expect(examples).toContain(`geminidb-sessions ${name} `);
        for (const text of [
          `Usage: geminidb-sessions ${name} `,
          "GEMINIDB_TOKEN",
          "HUAWEICLOUD_SDK_AK",
          "HUAWEICLOUD_SDK_SK",
          "HUAWEICLOUD_SDK_SECURITY_TOKEN",
          "HUAWEICLOUD_SDK_PROJECT_ID",
          "NO_COLOR",
          "--timeout-ms",
          "--max-retries",
          "Exit codes:",
          "Examples:",
        ]) {
          expect(run.stdout).toContain(text);
        }
        for (const code of Object.values(exitCodes)) expect(run.stdout).toMatch(new RegExp(`^ {2}${code} +\\S`, "m"));
      }
    },
  );

  it("--version prints the package version, also after a command", async () => {
    for (const args of [["--version"], ["list-node-sessions", "--version"]]) {
      const run = await runBin(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`${version}\n`);
    }
  });
});

describe("--token", () => {
  it("works, but warns on stderr that the token ends up in shell history and the process list, and never prints it", async () => {
    const token = "MIICommandLineTokenThatMustNotBePrinted0001";
    const run = await runBin(
      [
        "close-instance-sessions",
        "--endpoint",
        "http://127.0.0.1:9",
        "--instance-id",
        demoIds.instances.redisProxy,
        "--token",
        token,
        "--dry-run",
      ],
      { env: { HUAWEICLOUD_SDK_PROJECT_ID: demoIds.projectId } },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^warning: --token puts the token in your shell history and in the process list/m);
    expect(run.stderr).toContain("IAM token from --token");
    expect(run.stdout + run.stderr).not.toContain(token);
  });

  it("is preferred over GEMINIDB_TOKEN and AK/SK variables; without it, GEMINIDB_TOKEN beats AK/SK", async () => {
    const args = [
      "close-instance-sessions",
      "--endpoint",
      "http://127.0.0.1:9",
      "--instance-id",
      demoIds.instances.redisProxy,
      "--dry-run",
    ];
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
