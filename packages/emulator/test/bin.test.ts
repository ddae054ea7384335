import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { connectAndPing } from "@geminidb-sessions/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { describeStartupFailure, formatLogEntry, parseCliArgs } from "../src/cli.js";
import { demoIds, EmulatorConfigError, isRedisServerInstalled } from "../src/index.js";
import { expectConforming, observe } from "./support/conforming-response.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

function runBin(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): { child: ChildProcess; output: () => string; line: (pattern: RegExp) => Promise<RegExpExecArray> } {
  const child = spawn(process.execPath, ["--import", "tsx", "src/bin.ts", ...args], {
    cwd: packageDir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const line = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const deadline = Date.now() + 20_000;
      const check = () => {
        const match = pattern.exec(output);
        if (match) resolve(match);
        else if (Date.now() > deadline || child.exitCode !== null) reject(new Error(`no ${pattern} in output:\n${output}`));
        else setTimeout(check, 25);
      };
      check();
    });
  return { child, output: () => output, line };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

describe("the bin", () => {
  let running: ChildProcess | undefined;
  afterEach(async () => {
    const child = running;
    running = undefined;
    if (!child || child.exitCode !== null) return;
    // SIGINT first, so a bin in Redis mode stops its redis-servers; SIGKILL if it hangs.
    child.kill("SIGINT");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exitOf(child);
    clearTimeout(timer);
  });

  it("prints its URL and the demo credentials, serves them, and stops cleanly on SIGTERM", async () => {
    const bin = runBin(["--port", "0", "--log"]);
    running = bin.child;
    const [, url] = await bin.line(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
    const [, token] = await bin.line(/X-Auth-Token: (\S+)/);
    const [, projectId] = await bin.line(/project ID: +(\S+)/);
    const [, path] = await bin.line(/try: curl .* http:\/\/127\.0\.0\.1:\d+(\S+)/);
    expect(path).toContain(projectId);
    const response = await fetch(`${url}${path}`, { method: "DELETE", headers: { "X-Auth-Token": token ?? "" } });
    expectConforming(await observe(response), { status: 200 });
    await bin.line(/-> 200 \(closed 12 sessions\)/);
    bin.child.kill("SIGTERM");
    expect(await exitOf(bin.child)).toBe(0);
    expect(bin.output()).toContain("stopped");
    const logLines = bin
      .output()
      .split("\n")
      .filter((line) => line.includes(" -> "));
    expect(logLines).toHaveLength(1);
    expect(logLines[0]).not.toContain(token);
  });

  it.skipIf(!isRedisServerInstalled())(
    "with --redis, prints the Redis nodes and stops them on SIGINT (skipped when redis-server is not installed)",
    async () => {
      const bin = runBin(["--redis"]);
      running = bin.child;
      const [, nodes] = await bin.line(/Redis nodes of \S+: (.+)\n/);
      const addresses = (nodes ?? "").split(" ").map((address) => {
        const [host = "", port = ""] = address.split(":");
        return { host, port: Number(port) };
      });
      expect(addresses).toHaveLength(3);
      for (const { host, port } of addresses) (await connectAndPing(host, port)).socket.destroy();
      bin.child.kill("SIGINT");
      expect(await exitOf(bin.child)).toBe(0);
      for (const { host, port } of addresses) await expect(connectAndPing(host, port)).rejects.toThrow(/ECONNREFUSED/);
    },
  );

  it("prints the admin token and every demo instance with its kind and nodes; the token opens the admin API", async () => {
    const bin = runBin(["--port", "0"]);
    running = bin.child;
    await bin.line(/Ctrl-C stops it\./);
    const [, adminUrl] = await bin.line(/admin API \(loopback only\): (\S+)/);
    const [, adminToken] = await bin.line(/admin token: +(\S+) +\(send it as X-Admin-Token\)/);
    expect((await fetch(`${adminUrl}/state`, { headers: { "X-Admin-Token": adminToken ?? "" } })).status).toBe(200);
    expect((await fetch(`${adminUrl}/state`)).status).toBe(401);
    for (const [name, id] of Object.entries(demoIds.instances)) expect(bin.output()).toMatch(new RegExp(`${id} .*${name}`));
    expect(bin.output()).toMatch(/c865f921f3dd45198f209a607533a779in12 +redis proxy-cluster, available/);
    expect(bin.output()).toMatch(/dcfe693b224765e3b3d8401e6c26d25ain06 +cassandra cluster/);
    expect(bin.output()).toContain("nodes: fab25295fd582d767f801e39fe62a3efno12 5839362e9ce840751fd1bef7e038a277no12");
    expect(bin.output()).toContain("b7b669100294a249c65a190a488c422fno12 (abnormal)");
  });

  it("takes the admin token from GEMINIDB_EMULATOR_ADMIN_TOKEN and does not print it", async () => {
    const secret = "env-admin-token-0123456789abcdef";
    const bin = runBin(["--port", "0"], { ...process.env, GEMINIDB_EMULATOR_ADMIN_TOKEN: secret });
    running = bin.child;
    await bin.line(/Ctrl-C stops it\./);
    const [, adminUrl] = await bin.line(/admin API \(loopback only\): (\S+)/);
    expect(bin.output()).toContain("admin token:  (from GEMINIDB_EMULATOR_ADMIN_TOKEN)");
    expect(bin.output()).not.toContain(secret);
    expect((await fetch(`${adminUrl}/state`, { headers: { "X-Admin-Token": secret } })).status).toBe(200);
  });

  it("keeps running when its reader stops reading (| head): the output is dropped, not a crash", async () => {
    const bin = runBin(["--port", "0", "--log"]);
    running = bin.child;
    const [, url] = await bin.line(/listening on (http:\/\/\S+)/);
    await bin.line(/Ctrl-C stops it\./);
    bin.child.stdout?.destroy();
    // Each answered request prints a --log line into the closed pipe.
    for (let call = 0; call < 3; call++) expect((await fetch(`${url}/nope`)).status).toBe(404);
    expect(bin.child.exitCode).toBeNull();
    bin.child.kill("SIGTERM");
    expect(await exitOf(bin.child)).toBe(0);
  });

  it("prints its version", async () => {
    const bin = runBin(["--version"]);
    running = bin.child;
    expect(await exitOf(bin.child)).toBe(0);
    const { version } = JSON.parse(readFileSync(`${packageDir}/package.json`, "utf8")) as { version: string };
    expect(bin.output()).toBe(`geminidb-sessions-emulator ${version}\n`);
  });

  it("exits 2 with one line and no stack trace when the port is in use", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", () => resolve()));
    try {
      const { port } = blocker.address() as { port: number };
      const bin = runBin(["--port", String(port)]);
      running = bin.child;
      expect(await exitOf(bin.child)).toBe(2);
      expect(bin.output()).toBe(
        `geminidb-sessions-emulator: cannot listen on 127.0.0.1:${port}: the port is in use; choose another --port (or --port 0 for a free one)\n`,
      );
    } finally {
      blocker.close();
    }
  });

  it("exits 2 with one line and no stack trace when --redis finds no redis-server", async () => {
    const bin = runBin(["--redis"], { ...process.env, PATH: "/nonexistent" });
    running = bin.child;
    expect(await exitOf(bin.child)).toBe(2);
    const lines = bin.output().trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/--redis needs redis-server, which was not found; install it .*--redis-server/);
  });

  it("exits 1 with the problem when the config file is bad", async () => {
    const bin = runBin(["--config", "does-not-exist.yaml"]);
    running = bin.child;
    expect(await exitOf(bin.child)).toBe(1);
    expect(bin.output()).toMatch(/Cannot read config file does-not-exist\.yaml/);
  });

  it("words every failure to listen as one line with exit 2", () => {
    const failure = (code: string, extra: object = {}) =>
      describeStartupFailure(Object.assign(new Error(code), { code, syscall: "listen", ...extra }), { host: "10.99.99.99" });
    expect(failure("EADDRNOTAVAIL", { address: "10.99.99.99", port: 0 })).toEqual({
      message: "geminidb-sessions-emulator: cannot listen on 10.99.99.99: this machine has no such address; check --host",
      exitCode: 2,
    });
    expect(failure("EACCES", { address: "127.0.0.1", port: 80 })?.message).toBe(
      "geminidb-sessions-emulator: cannot listen on 127.0.0.1:80: permission denied (ports below 1024 need privileges); choose another --port",
    );
    expect(
      describeStartupFailure(Object.assign(new Error("x"), { code: "ENOTFOUND", syscall: "getaddrinfo" }), { host: "nosuch.invalid" })
        ?.message,
    ).toBe("geminidb-sessions-emulator: cannot listen on nosuch.invalid: this machine has no such address; check --host");
    expect(describeStartupFailure(new TypeError("a bug"), {})).toBeUndefined();
  });

  it("says in its --log line why a request was refused before routing", () => {
    const entry = { requestId: "r1", method: "DELETE", target: "/v3/x", status: 404, code: "APIGW.0101", refused: "host" as const };
    expect(formatLogEntry(entry)).toBe("r1 DELETE /v3/x -> 404 (APIGW.0101, refused: foreign Host)");
    expect(formatLogEntry({ ...entry, status: 403, code: "APIGW.0302", refused: "origin" })).toBe(
      "r1 DELETE /v3/x -> 403 (APIGW.0302, refused: foreign Origin)",
    );
  });

  it("reads its arguments", () => {
    expect(parseCliArgs(["--port", "8080", "--admin-port", "0", "--config", "w.yaml", "--redis"])).toEqual({
      kind: "run",
      options: { port: 8080, adminPort: 0, config: "w.yaml", redis: true },
      log: false,
    });
    expect(parseCliArgs(["--redis-server", "/opt/redis-server"])).toEqual({
      kind: "run",
      options: { redis: { binary: "/opt/redis-server" } },
      log: false,
    });
    expect(parseCliArgs(["-h"])).toEqual({ kind: "help" });
    expect(() => parseCliArgs(["--port", "99999"])).toThrow(EmulatorConfigError);
    expect(() => parseCliArgs(["--nope"])).toThrow(EmulatorConfigError);
    expect(parseCliArgs(["--version"])).toEqual({ kind: "version" });
    expect(
      parseCliArgs(["--cors", "--allow-host", "a.test", "--allow-host", "b.test"], { GEMINIDB_EMULATOR_ADMIN_TOKEN: "t".repeat(20) }),
    ).toEqual({
      kind: "run",
      options: { cors: true, allowedHosts: ["a.test", "b.test"], adminToken: "t".repeat(20) },
      log: false,
    });
  });
});
