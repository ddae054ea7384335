// Benchmark of @geminidb-sessions/emulator (not a test): requests per second on loopback,
// and the time to close 10,000 sessions spread over 3 nodes, in memory and with real
// redis-servers when installed. Writes bench/RESULTS.md. Run: pnpm bench

import { spawnSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { cpus, platform, release, totalmem } from "node:os";
import { performance } from "node:perf_hooks";
import { demoIds, isRedisServerInstalled, type RunningEmulator, startEmulator } from "../src/index.js";

const sessionsToClose = 10_000;
const rpsRequests = 5_000;
const rpsConcurrency = 32;
const rounds = 5;
const redisRounds = 3;
const instance = demoIds.instances.redisProxy;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const ms = (value: number) => `${value.toFixed(2)} ms`;

function sessionsUrl(emu: RunningEmulator, instanceId: string): string {
  return `${emu.url}/v3/${emu.credentials.projectId}/instances/${instanceId}/sessions`;
}

async function callOnce(emu: RunningEmulator, url: string): Promise<number> {
  const response = await fetch(url, { method: "DELETE", headers: { "X-Auth-Token": emu.credentials.token } });
  await response.arrayBuffer();
  return response.status;
}

/** Fixed number of requests by a fixed number of workers; returns rps and latencies. */
async function requestsPerSecond(emu: RunningEmulator, instanceId: string, expected: number) {
  const url = sessionsUrl(emu, instanceId);
  for (let i = 0; i < 200; i++) await callOnce(emu, url); // warm-up
  const latencies: number[] = [];
  let next = 0;
  let unexpected = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: rpsConcurrency }, async () => {
      while (next < rpsRequests) {
        next += 1;
        const t0 = performance.now();
        if ((await callOnce(emu, url)) !== expected) unexpected += 1;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { rps: rpsRequests / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), unexpected };
}

async function closeInMemory(): Promise<number[]> {
  const emu = await startEmulator();
  try {
    const url = sessionsUrl(emu, instance);
    await callOnce(emu, url);
    const timings: number[] = [];
    for (let round = 0; round < rounds; round++) {
      await emu.world.openSessions(instance, sessionsToClose);
      const t0 = performance.now();
      const status = await callOnce(emu, url);
      timings.push(performance.now() - t0);
      if (status !== 200 || (await emu.world.totalSessions(instance)) !== 0) throw new Error("in-memory close failed");
    }
    return timings;
  } finally {
    await emu.close();
  }
}

/** Opens a raw client connection and waits for PONG; resolves with the socket and its close promise. */
function pingedSocket(host: string, port: number): Promise<{ socket: Socket; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const closed = new Promise<number>((onClose) => socket.once("close", () => onClose(performance.now())));
    const timer = setTimeout(() => reject(new Error("no PONG in 10 s")), 10_000);
    socket.once("data", () => {
      clearTimeout(timer);
      resolve({ socket, closed });
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.write("*1\r\n$4\r\nPING\r\n");
  });
}

async function closeWithRedis(connections: number) {
  const emu = await startEmulator({ redis: { instances: [instance] } });
  try {
    const url = sessionsUrl(emu, instance);
    await callOnce(emu, url); // closes the demo's initial sessions
    const nodes = emu.world.nodeAddresses(instance);
    const results: Array<{ call: number; lastSocketClosed: number }> = [];
    for (let round = 0; round < redisRounds; round++) {
      const clients: Array<{ socket: Socket; closed: Promise<number> }> = [];
      for (let opened = 0; opened < connections; opened += 250) {
        const batch = Math.min(250, connections - opened);
        clients.push(
          ...(await Promise.all(
            Array.from({ length: batch }, (_, i) => {
              const node = nodes[(opened + i) % nodes.length];
              if (!node) throw new Error("no node");
              return pingedSocket(node.host, node.port);
            }),
          )),
        );
      }
      const open = await emu.world.totalSessions(instance);
      if (open !== connections) throw new Error(`expected ${connections} sessions, counted ${open}`);
      const t0 = performance.now();
      const status = await callOnce(emu, url);
      const call = performance.now() - t0;
      const closedAt = await Promise.all(clients.map((client) => client.closed));
      if (status !== 200) throw new Error(`close answered ${status}`);
      results.push({ call, lastSocketClosed: Math.max(...closedAt) - t0 });
      for (const client of clients) client.socket.destroy();
    }
    return results;
  } finally {
    await emu.close();
  }
}

async function main() {
  const lines: string[] = [];
  const say = (line = "") => {
    lines.push(line);
    process.stdout.write(`${line}\n`);
  };
  const redisVersion = isRedisServerInstalled() ? spawnSync("redis-server", ["--version"], { encoding: "utf8" }).stdout.trim() : undefined;
  say("# Emulator benchmark results");
  say();
  say("Written by `pnpm bench` in packages/emulator (bench/run.ts). Numbers from one run on the machine below; loopback only.");
  say("The client runs in the same Node.js process as the emulator, and the machine's cores may be shared with other work,");
  say("so read these as orders of magnitude, not as a limit of the emulator.");
  say();
  say(`- date: ${new Date().toISOString()}`);
  say(
    `- node ${process.version}, ${platform()} ${release()}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
  );
  say(`- redis-server: ${redisVersion ?? "not installed"}`);
  say();

  say("## Requests per second (in-memory world, HTTP/1.1 keep-alive, fetch client in the same process)");
  say();
  say(`${rpsRequests} requests, ${rpsConcurrency} concurrent, after 200 warm-up requests.`);
  say();
  say("| request | answer | req/s | p50 | p99 |");
  say("| --- | --- | ---: | ---: | ---: |");
  for (const [label, instanceId, expected] of [
    ["close sessions (success)", instance, 200],
    ["frozen instance (refused)", demoIds.instances.frozen, 403],
  ] as const) {
    const emu = await startEmulator();
    try {
      const result = await requestsPerSecond(emu, instanceId, expected);
      if (result.unexpected > 0) throw new Error(`${result.unexpected} unexpected answers`);
      say(`| ${label} | ${expected} | ${result.rps.toFixed(0)} | ${ms(result.p50)} | ${ms(result.p99)} |`);
    } finally {
      await emu.close();
    }
  }
  say();

  say(`## Closing ${sessionsToClose.toLocaleString("en")} sessions spread over 3 nodes`);
  say();
  const memory = await closeInMemory();
  say(
    `In memory (counters), ${rounds} rounds: median ${ms(median(memory))} per call (min ${ms(Math.min(...memory))}, max ${ms(Math.max(...memory))}), HTTP round trip included.`,
  );
  say();
  if (redisVersion) {
    const results = await closeWithRedis(sessionsToClose);
    say(
      `Real Redis (3 spawned redis-servers, ${sessionsToClose.toLocaleString("en")} real client connections opened by the benchmark, ` +
        `about ${Math.ceil(sessionsToClose / 3)} per node, each answered PING first), ${redisRounds} rounds:`,
    );
    say();
    say("| round | API call (CLIENT KILL on 3 nodes) | until the last client socket saw its close (from the call's start) |");
    say("| ---: | ---: | ---: |");
    for (const [index, result] of results.entries()) say(`| ${index + 1} | ${ms(result.call)} | ${ms(result.lastSocketClosed)} |`);
    say();
    say(
      `Median API call: ${ms(median(results.map((r) => r.call)))}; median until every socket closed: ${ms(median(results.map((r) => r.lastSocketClosed)))}.`,
    );
  } else {
    say("Real Redis: skipped (redis-server not installed).");
  }
  say();
  await writeFile(new URL("./RESULTS.md", import.meta.url), `${lines.join("\n")}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
