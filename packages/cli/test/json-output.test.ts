import { demoIds } from "@geminidb-sessions/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliReport } from "../src/index.js";
import { startTestEmulator, type TestEmulator } from "./support/emulator.js";
import { runBin } from "./support/run-bin.js";

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());

describe("--json", () => {
  it("prints one object on stdout: outcome, exit code, counts, and per instance status, code and the service's request ID", async () => {
    const ids = [demoIds.instances.redisProxy, demoIds.unknownInstanceId, demoIds.instances.busy];
    const args = [
      "close-instance-sessions",
      "--endpoint",
      emu.emulator.url,
      ...ids.flatMap((id) => ["--instance-id", id]),
      "--yes",
      "--json",
      "--max-retries",
      "0",
    ];
    const run = await runBin(args, { env: emu.tokenEnv });
    expect(run.code).toBe(5);
    const report = JSON.parse(run.stdout) as CliReport;
    expect(report).toEqual({
      command: "close-instance-sessions",
      outcome: "partial",
      exitCode: 5,
      dryRun: false,
      endpoint: emu.emulator.url,
      projectId: demoIds.projectId,
      counts: { total: 3, closed: 1, failed: 2, aborted: 0 },
      results: [
        { instanceId: demoIds.instances.redisProxy, status: "closed", httpStatus: 200, requestId: expect.any(String) },
        {
          instanceId: demoIds.unknownInstanceId,
          status: "failed",
          httpStatus: 404,
          code: "DBS.200002",
          requestId: expect.any(String),
          message: expect.stringContaining("DBS.200002"),
          meaning: "There is no such instance in this project and region, or it has been deleted.",
          remedy: expect.stringContaining("Check the instance ID"),
          retryable: false,
          kind: "not-found",
        },
        {
          instanceId: demoIds.instances.busy,
          status: "failed",
          httpStatus: 403,
          code: "DBS.200019",
          requestId: expect.any(String),
          message: expect.stringContaining("DBS.200019"),
          meaning: expect.any(String),
          remedy: expect.any(String),
          retryable: true,
          kind: "retryable",
        },
      ],
    });
    // The request IDs are the ones the service answered with, instance by instance.
    const answered = new Map(emu.requests.map((request) => [request.target.split("/")[4], request.requestId]));
    for (const result of report.results) expect(result.requestId).toBe(answered.get(result.instanceId));
    // Progress and diagnostics went to stderr, so stdout is nothing but the object.
    expect(run.stderr).toContain("closing ");
  });

  it("prints an object for a usage error too (exit 2), with the reason", async () => {
    const run = await runBin(["close-instance-sessions", "--endpoint", emu.emulator.url, "--instance-id", "nope", "--yes", "--json"], {
      env: emu.tokenEnv,
    });
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as CliReport;
    expect(report).toMatchObject({ command: "close-instance-sessions", outcome: "usage", exitCode: 2, results: [] });
    expect(report.error?.message).toBe("a malformed instance ID; nothing was sent");
    expect(report.error?.details[0]).toMatch(/^--instance-id: /);
  });
});
