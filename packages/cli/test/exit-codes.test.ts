import { demoIds } from "@geminidb-sessions/emulator";
import { errorCatalog } from "@geminidb-sessions/validation";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { exitCodes } from "../src/results.js";
import { startTestEmulator, type TestEmulator } from "./support/emulator.js";
import { runBin } from "./support/run-bin.js";

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterEach(async () => {
  emu.emulator.faults.clear();
  emu.requests.length = 0;
  // Every test starts with sessions to close on the clearable instance.
  await emu.emulator.world.openSessions(demoIds.instances.redisProxy, 6);
});
afterAll(() => emu.close());

const close = (ids: string[], ...extra: string[]) => [
  "close-instance-sessions",
  "--endpoint",
  emu.emulator.url,
  ...ids.flatMap((id) => ["--instance-id", id]),
  "--yes",
  ...extra,
];

describe("exit codes", () => {
  it("0 when every instance is closed, and its sessions are gone", async () => {
    const run = await runBin(close([demoIds.instances.redisProxy]), { env: emu.tokenEnv });
    expect(run.code, run.stderr).toBe(exitCodes.success);
    expect(await emu.emulator.world.totalSessions(demoIds.instances.redisProxy)).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`${demoIds.instances.redisProxy} +closed`));
  });

  it("0 with AK/SK from HUAWEICLOUD_SDK_AK/SK: the emulator verified the signature", async () => {
    const run = await runBin(close([demoIds.instances.redisProxy]), { env: emu.akSkEnv });
    expect(run.code, run.stderr).toBe(exitCodes.success);
    expect(run.stderr).toContain("AK/SK from HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK");
    expect(emu.requests.map((request) => request.status)).toEqual([200]);
  });

  it("3 when the credentials are refused (expired token: 401 APIGW.0301), printing the catalog's meaning and remedy", async () => {
    const run = await runBin(close([demoIds.instances.redisProxy]), { env: { ...emu.tokenEnv, GEMINIDB_TOKEN: demoIds.expiredToken } });
    expect(run.code).toBe(exitCodes.auth);
    expect(run.stdout).toMatch(/failed +APIGW\.0301/);
    expect(run.stderr).toContain(`meaning: ${errorCatalog["APIGW.0301"].meaning}`);
    expect(run.stderr).toContain("remedy:  Get a new token");
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(`${run.stdout}${run.stderr}`).not.toContain(demoIds.expiredToken);
  });

  it("3 when the AK/SK signature does not verify (wrong SK)", async () => {
    const run = await runBin(close([demoIds.instances.redisProxy]), {
      env: { ...emu.akSkEnv, HUAWEICLOUD_SDK_SK: "notTheRightSecretKeyForTheDemoPair0123" },
    });
    expect(run.code).toBe(exitCodes.auth);
    expect(emu.requests.map((request) => request.code)).toEqual(["APIGW.0301"]);
  });

  it("4 when the instance does not exist (404 DBS.200002)", async () => {
    const run = await runBin(close([demoIds.unknownInstanceId]), { env: emu.tokenEnv });
    expect(run.code).toBe(exitCodes.notFound);
    expect(run.stderr).toContain("meaning: There is no such instance in this project and region, or it has been deleted.");
    expect(run.stderr).toContain("remedy:  Check the instance ID and the region");
  });

  it("5 when some instances are closed and others fail", async () => {
    const ids = [demoIds.instances.redisProxy, demoIds.unknownInstanceId, demoIds.instances.frozen];
    const run = await runBin(close(ids, "--max-retries", "0"), { env: emu.tokenEnv });
    expect(run.code).toBe(exitCodes.partial);
    expect(await emu.emulator.world.totalSessions(demoIds.instances.redisProxy)).toBe(0);
    expect(run.stdout).toMatch(/1 of 3 closed, 2 failed/);
  });

  it("6 when every instance failed with a retryable error (busy: DBS.200019), after the retries", async () => {
    const run = await runBin(close([demoIds.instances.busy], "--max-retries", "1"), { env: emu.tokenEnv });
    expect(run.code).toBe(exitCodes.retryable);
    // One retry, announced on stderr naming the instance, then the failure.
    expect(emu.requests.map((request) => request.code)).toEqual(["DBS.200019", "DBS.200019"]);
    expect(run.stderr).toMatch(new RegExp(`retry +${demoIds.instances.busy} +DBS\\.200019, again in \\d+ ms`));
    expect(run.stderr.match(/^retry /gm)).toHaveLength(1);
    expect(run.stderr).toContain("remedy:  Retry later with backoff");
  });

  it("6 when the endpoint cannot be reached (connection refused)", async () => {
    // A port that was just free: nothing listens there.
    const { createServer } = await import("node:net");
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const run = await runBin(
      [
        "close-instance-sessions",
        "--endpoint",
        `http://127.0.0.1:${port}`,
        "--instance-id",
        demoIds.unknownInstanceId,
        "--yes",
        "--max-retries",
        "0",
      ],
      {
        env: emu.tokenEnv,
      },
    );
    expect(run.code).toBe(exitCodes.retryable);
    expect(run.stdout).toMatch(/failed +CONNECTION/);
  });

  it("6 when no answer comes within --timeout-ms, on every attempt (TIMEOUT)", async () => {
    emu.emulator.faults.add({ effect: { type: "latency", ms: 20_000 } });
    const run = await runBin(close([demoIds.instances.redisProxy], "--timeout-ms", "300", "--max-retries", "0"), { env: emu.tokenEnv });
    expect(run.code).toBe(exitCodes.retryable);
    expect(run.stdout).toMatch(/failed +TIMEOUT/);
    expect(run.stderr).toContain("raise --timeout-ms or --max-retries");
  });

  it("1 when every instance failed for a reason that is not auth, not-found or retryable (frozen: DBS.200011)", async () => {
    const run = await runBin(close([demoIds.instances.frozen]), { env: emu.tokenEnv });
    expect(run.code).toBe(exitCodes.failure);
    expect(run.stderr).toContain("remedy:  Wait until the instance is available again, then call again.");
  });

  it("1 when every instance failed, for different reasons (not found and frozen)", async () => {
    const run = await runBin(close([demoIds.unknownInstanceId, demoIds.instances.frozen]), { env: emu.tokenEnv });
    expect(run.code).toBe(exitCodes.failure);
  });

  it("130 when interrupted (SIGINT) while a request is in flight: the instance is reported aborted", async () => {
    emu.emulator.faults.add({ effect: { type: "latency", ms: 30_000 } });
    let sawClosing: () => void = () => {};
    const closing = new Promise<void>((resolve) => {
      sawClosing = resolve;
    });
    const run = await runBin(close([demoIds.instances.redisProxy]), {
      env: emu.tokenEnv,
      onSpawn: (child) => {
        child.stderr?.on("data", (chunk: Buffer) => {
          if (chunk.toString("utf8").includes("closing ")) sawClosing();
        });
        void closing.then(() => child.kill("SIGINT"));
      },
    });
    expect(run.code).toBe(exitCodes.interrupted);
    expect(run.stdout).toMatch(new RegExp(`${demoIds.instances.redisProxy} +aborted`));
  });
});

describe("exit code 2: usage errors send nothing", () => {
  // An emulator of their own: requests the tests above hold with latency faults (20 s, 30 s) are
  // answered, and logged, long after those tests end, on a loaded machine while these run.
  let quiet: TestEmulator;
  beforeAll(async () => {
    quiet = await startTestEmulator();
  });
  afterAll(() => quiet.close());
  const id = demoIds.instances.redisProxy;
  const cases: Array<{ name: string; args: (endpoint: string) => string[]; env?: Record<string, string>; message: RegExp }> = [
    { name: "no command", args: () => [], message: /no command given/ },
    { name: "an unknown command", args: () => ["open"], message: /unknown command 'open'/ },
    {
      name: "the old name of close-instance-sessions",
      args: () => ["close"],
      message: /unknown command 'close'; did you mean close-instance-sessions\?/,
    },
    {
      name: "an unknown option",
      args: (url) => ["close-instance-sessions", "--endpoint", url, "--instance", id],
      message: /unknown option --instance for close-instance-sessions; did you mean --instance-id\?/,
    },
    {
      name: "no region and no endpoint",
      args: () => ["close-instance-sessions", "--instance-id", id, "--yes"],
      message: /--region .* or --endpoint/,
    },
    {
      name: "both region and endpoint",
      args: (url) => ["close-instance-sessions", "--region", "cn-north-4", "--endpoint", url, "--instance-id", id],
      message: /not both/,
    },
    {
      name: "an unknown region",
      args: () => ["close-instance-sessions", "--region", "mars-1", "--instance-id", id, "--yes"],
      message: /--region: 'mars-1' is not a region the spec lists\n {2}valid regions: .*cn-north-4/,
    },
    {
      name: "plain http to a remote host",
      args: () => ["close-instance-sessions", "--endpoint", "http://192.0.2.1:8080", "--instance-id", id, "--yes"],
      message: /--endpoint: http:\/\//,
    },
    {
      name: "a malformed instance ID",
      args: (url) => ["close-instance-sessions", "--endpoint", url, "--instance-id", "x#y", "--yes"],
      message: /a malformed instance ID; nothing was sent\n {2}--instance-id: /,
    },
    {
      name: "no instance IDs (stdin is empty)",
      args: (url) => ["close-instance-sessions", "--endpoint", url, "--yes"],
      message: /no instance IDs/,
    },
    {
      name: "a --from-file that does not exist",
      args: (url) => ["close-instance-sessions", "--endpoint", url, "--from-file", "/nonexistent/ids.txt", "--yes"],
      message: /cannot read --from-file \/nonexistent\/ids.txt: no such file/,
    },
    {
      name: "a bad --concurrency",
      args: (url) => ["close-instance-sessions", "--endpoint", url, "--instance-id", id, "--concurrency", "0", "--yes"],
      message: /--concurrency must be a whole number of instances from 1 to 32, not 0/,
    },
    {
      name: "a --max-retries over the client's limit",
      args: (url) => ["close-instance-sessions", "--endpoint", url, "--instance-id", id, "--max-retries", "11", "--yes"],
      message: /--max-retries must be a whole number of retries from 0 to 10, not 11/,
    },
    {
      name: "no project ID",
      args: (url) => ["close-instance-sessions", "--endpoint", url, "--instance-id", id, "--yes"],
      env: { GEMINIDB_TOKEN: demoIds.token },
      message: /no project ID/,
    },
    {
      name: "no credentials",
      args: (url) => ["close-instance-sessions", "--endpoint", url, "--instance-id", id, "--yes"],
      env: { HUAWEICLOUD_SDK_PROJECT_ID: demoIds.projectId },
      message: /no credentials: set GEMINIDB_TOKEN/,
    },
    {
      name: "an AK without its SK",
      args: (url) => ["close-instance-sessions", "--endpoint", url, "--instance-id", id, "--yes"],
      env: { HUAWEICLOUD_SDK_AK: demoIds.accessKey, HUAWEICLOUD_SDK_PROJECT_ID: demoIds.projectId },
      message: /HUAWEICLOUD_SDK_SK: is not set/,
    },
    {
      name: "no --yes when stdin and stderr are not terminals",
      args: (url) => ["close-instance-sessions", "--endpoint", url, "--instance-id", id],
      message: /refusing to close sessions without confirmation: .*pass --yes/,
    },
  ];

  it.each(cases)("$name", async ({ args, env, message }) => {
    const run = await runBin(args(quiet.emulator.url), { env: env ?? quiet.tokenEnv });
    expect(run.code, run.stderr).toBe(exitCodes.usage);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/Run 'geminidb-sessions (close-instance-sessions )?--help' for usage\./);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe("");
    expect(quiet.requests).toEqual([]);
  });
});
