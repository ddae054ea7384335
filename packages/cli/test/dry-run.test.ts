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

const dryRun = (...extra: string[]) => [
  "close-instance-sessions",
  "--endpoint",
  emu.emulator.url,
  "--instance-id",
  demoIds.instances.redisProxy,
  "--instance-id",
  demoIds.unknownInstanceId,
  "--dry-run",
  ...extra,
];

describe("--dry-run", () => {
  it("with AK/SK: prints each signed request, access key and secrets masked, signature shown; sends nothing", async () => {
    const sessionsBefore = await emu.emulator.world.totalSessions(demoIds.instances.redisProxy);
    const securityToken = "DemoSecurityTokenThatMustNeverBePrinted0001";
    const run = await runBin(dryRun(), { env: { ...emu.akSkEnv, HUAWEICLOUD_SDK_SECURITY_TOKEN: securityToken } });
    expect(run.code, run.stderr).toBe(0);
    const output = run.stdout + run.stderr;
    for (const secret of [demoIds.secretKey, demoIds.accessKey, securityToken]) expect(output).not.toContain(secret);

    const path = (id: string) => `/v3/${demoIds.projectId}/instances/${id}/sessions`;
    expect(run.stdout).toContain(`DELETE ${emu.emulator.url}${path(demoIds.instances.redisProxy)}\n`);
    expect(run.stdout).toContain(`DELETE ${emu.emulator.url}${path(demoIds.unknownInstanceId)}\n`);
    const signatures = run.stdout.match(
      /^authorization: SDK-HMAC-SHA256 Access=\*\*\*, SignedHeaders=host;x-project-id;x-sdk-date;x-security-token, Signature=[0-9a-f]{64}$/gm,
    );
    expect(signatures).toHaveLength(2);
    expect(run.stdout).toMatch(/^x-sdk-date: \d{8}T\d{6}Z$/m);
    expect(run.stdout).toContain(`x-project-id: ${demoIds.projectId}`);
    expect(run.stdout).toContain("x-security-token: ***");
    expect(run.stdout).toContain(`host: ${new URL(emu.emulator.url).host}`);
    expect(run.stderr).toContain("dry run: nothing was sent");

    expect(emu.requests).toEqual([]);
    expect(await emu.emulator.world.totalSessions(demoIds.instances.redisProxy)).toBe(sessionsBefore);
  });

  it("with a token: X-Auth-Token is masked, and no confirmation is asked without a terminal", async () => {
    const run = await runBin(dryRun(), { env: emu.tokenEnv });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(demoIds.token);
    expect(run.stdout.match(/^x-auth-token: \*\*\*$/gm)).toHaveLength(2);
    expect(run.stdout).not.toMatch(/^authorization:/m);
    expect(emu.requests).toEqual([]);
  });

  it("with --json: each result is a dry-run entry holding the masked request", async () => {
    const run = await runBin(dryRun("--json"), { env: emu.akSkEnv });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain(demoIds.secretKey);
    const report = JSON.parse(run.stdout) as CliReport;
    expect(report).toMatchObject({ outcome: "success", exitCode: 0, dryRun: true, counts: { total: 2, closed: 0, failed: 0 } });
    expect(report.results[0]).toMatchObject({
      instanceId: demoIds.instances.redisProxy,
      status: "dry-run",
      request: {
        method: "DELETE",
        url: `${emu.emulator.url}/v3/${demoIds.projectId}/instances/${demoIds.instances.redisProxy}/sessions`,
        headers: { authorization: expect.stringMatching(/^SDK-HMAC-SHA256 Access=\*\*\*, SignedHeaders=\S+, Signature=[0-9a-f]{64}$/) },
      },
    });
    expect(emu.requests).toEqual([]);
  });
});
