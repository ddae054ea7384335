import { createServer, type Server } from "node:http";
import { connect } from "node:net";
import { demoIds } from "@geminidb-sessions/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { exitCodes } from "../src/results.js";
import { startTestEmulator, type TestEmulator } from "./support/emulator.js";
import { runBin } from "./support/run-bin.js";

// Issue 18's CLI points: what an operator meets on the first try.
let emu: TestEmulator;
/** A forward proxy on loopback that tunnels CONNECT requests (as undici sends them) and records each one. */
let proxy: { url: string; tunnels: string[]; server: Server };
beforeAll(async () => {
  emu = await startTestEmulator();
  const tunnels: string[] = [];
  const server = createServer((_request, response) => response.writeHead(405).end());
  server.on("connect", (request, socket, head) => {
    tunnels.push(request.url ?? "");
    const [host = "", port = ""] = (request.url ?? "").split(":");
    const upstream = connect(Number(port), host, () => {
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on("error", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy = { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, tunnels, server };
});
afterEach(() => {
  emu.requests.length = 0;
  proxy.tunnels.length = 0;
});
afterAll(async () => {
  await emu.close();
  proxy.server.closeAllConnections();
  await new Promise((resolve) => proxy.server.close(resolve));
});

const instance = demoIds.instances.redisProxy;
const [node] = demoIds.nodes.redisProxy;

describe("usage errors say what is wrong and what would be right", () => {
  it.each([
    [
      "a misspelled option",
      ["list-node-sessions", "--node", "x"],
      /unknown option --node for list-node-sessions; did you mean --node-id\?/,
    ],
    ["a misspelled command", ["list-node-session"], /unknown command 'list-node-session'; did you mean list-node-sessions\?/],
    [
      "a region of another cloud",
      ["list-node-sessions", "--region", "us-east-1", "--node-id", node ?? ""],
      /'us-east-1' is not a region the spec lists\n {2}valid regions: af-south-1, .*cn-north-4, /,
    ],
    [
      "a negative timeout",
      ["list-node-sessions", "--endpoint", "http://127.0.0.1:9", "--timeout-ms", "-1", "--node-id", node ?? ""],
      /--timeout-ms must be a whole number of milliseconds from 1 to \d+, not '-1' \(negative numbers are not allowed\)/,
    ],
    ["an option missing its value", ["list-node-sessions", "--node-id", "--json"], /--node-id needs a value <id>/],
    ["a value given to a flag", ["close-node-sessions", "--all=yes"], /--all takes no value/],
  ])("%s", async (_name, args, message) => {
    const run = await runBin(args, { env: emu.tokenEnv });
    expect(run.code).toBe(exitCodes.usage);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/ERR_PARSE_ARGS|argument is ambiguous|'--/);
    expect(emu.requests).toEqual([]);
  });
});

describe("--verbose and --debug", () => {
  it("--verbose prints each request and response line on stderr; stdout keeps only the results", async () => {
    const run = await runBin(["list-instance-sessions", "--endpoint", emu.emulator.url, "--instance-id", instance, "--verbose"], {
      env: emu.tokenEnv,
    });
    expect(run.code, run.stderr).toBe(0);
    const path = `/v3/${demoIds.projectId}/instances/${instance}/sessions`;
    expect(run.stderr).toContain(`> GET ${emu.emulator.url}${path} (attempt 1)`);
    expect(run.stderr).toMatch(new RegExp(`^< 200 GET ${emu.emulator.url}${path} \\(request \\S+, \\d+ ms\\)$`, "m"));
    expect(run.stdout).not.toContain("> GET");
    expect(run.stderr).not.toMatch(/x-auth-token/i);
  });

  it("--debug adds the headers, every secret masked (token, AK/SK signature's access key, security token)", async () => {
    const securityToken = "DemoSecurityTokenThatMustNeverBePrinted0001";
    const token = await runBin(["list-instance-sessions", "--endpoint", emu.emulator.url, "--instance-id", instance, "--debug"], {
      env: emu.tokenEnv,
    });
    expect(token.stderr).toMatch(/^ {2}x-auth-token: \*\*\*$/m);
    expect(token.stderr).toMatch(/^ {2}x-request-id: \S+$/m);
    expect(token.stdout + token.stderr).not.toContain(demoIds.token);
    const akSk = await runBin(["list-instance-sessions", "--endpoint", emu.emulator.url, "--instance-id", instance, "--debug"], {
      env: { ...emu.akSkEnv, HUAWEICLOUD_SDK_SECURITY_TOKEN: securityToken },
    });
    expect(akSk.stderr).toMatch(/^ {2}authorization: \*\*\*$/m);
    for (const secret of [demoIds.secretKey, securityToken]) expect(akSk.stdout + akSk.stderr).not.toContain(secret);
  });
});

describe("stdout and stderr merged (2>&1, as in CI logs)", () => {
  it("prints each result once: in the summary, not also as a progress line", async () => {
    await emu.emulator.world.openSessions(instance, 2);
    const run = await runBin(["close-instance-sessions", "--endpoint", emu.emulator.url, "--instance-id", instance, "--yes"], {
      env: emu.tokenEnv,
      merged: true,
    });
    expect(run.code, run.stdout).toBe(0);
    const requestId = emu.requests[0]?.requestId ?? "missing";
    expect(run.stdout.split(requestId)).toHaveLength(2);
    expect(run.stdout).toMatch(new RegExp(`^${instance} +closed +- +${requestId}$`, "m"));
  });

  it("with separate streams, the progress line on stderr still carries the result", async () => {
    await emu.emulator.world.openSessions(instance, 2);
    const run = await runBin(["close-instance-sessions", "--endpoint", emu.emulator.url, "--instance-id", instance, "--yes"], {
      env: emu.tokenEnv,
    });
    expect(run.stderr).toMatch(new RegExp(`^closed +${instance} +request \\S+$`, "m"));
  });
});

describe("HTTP_PROXY / HTTPS_PROXY / NO_PROXY", () => {
  it("sends requests through the proxy the environment names (a CONNECT tunnel to the endpoint)", async () => {
    const args = ["close-instance-sessions", "--endpoint", emu.emulator.url, "--instance-id", instance, "--yes", "--max-retries", "0"];
    const run = await runBin(args, { env: { ...emu.tokenEnv, HTTP_PROXY: proxy.url } });
    expect(run.code, run.stderr).toBe(0);
    expect(proxy.tunnels).toEqual([new URL(emu.emulator.url).host]);
    expect(emu.requests.map((request) => request.status)).toEqual([200]);
  });

  it("goes direct to hosts NO_PROXY lists, and masks a proxy password in --debug output", async () => {
    const withPassword = proxy.url.replace("http://", "http://ops:proxyPassword0001@");
    const run = await runBin(["list-instance-sessions", "--endpoint", emu.emulator.url, "--instance-id", instance, "--debug"], {
      env: { ...emu.tokenEnv, HTTP_PROXY: withPassword, NO_PROXY: "127.0.0.1" },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(proxy.tunnels).toEqual([]);
    expect(emu.requests).toHaveLength(1);
    expect(run.stdout + run.stderr).not.toContain("proxyPassword0001");
  });
});

describe("a reader that stops early (| head)", () => {
  it("ends without a stack trace when stdout's pipe closes, with the command's own exit code", async () => {
    // More output than a pipe holds (64 KiB), so writes go on after the reader has gone.
    await emu.emulator.world.openSessions(demoIds.instances.redisCluster, 2000);
    const { spawn } = await import("node:child_process");
    const { binPath } = await import("./support/paths.js");
    const command = `"$0" "$1" list-node-sessions --endpoint "$2" --node-id "$3" | head -c 100 > /dev/null; exit "\${PIPESTATUS[0]}"`;
    // Async: the emulator answering the CLI runs in this process.
    const child = spawn("bash", ["-c", command, process.execPath, binPath, emu.emulator.url, demoIds.nodes.redisCluster], {
      env: { PATH: process.env.PATH ?? "", ...emu.tokenEnv },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const status = await new Promise<number | null>((resolve) => child.once("close", resolve));
    const run = { stderr, status };
    expect(run.stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(run.status).toBe(0);
  });
});
