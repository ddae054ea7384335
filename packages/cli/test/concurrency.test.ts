import { type RecordingServer, startRecordingServer } from "@geminidb-sessions/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliReport } from "../src/index.js";
import { runBin } from "./support/run-bin.js";

const projectId = "619d3e78f61b4be68bc5aa0b59edcf7b";
const ids = Array.from({ length: 7 }, (_, index) => `${index.toString(16).padStart(32, "a")}in12`);

let server: RecordingServer;
let inFlight = 0;
let maxInFlight = 0;
let answered = 0;
let held: Array<() => void> = [];

beforeAll(async () => {
  // Holds every request until `limit` are in flight (or all that remain are), then
  // answers them together. With a working limit this never deadlocks and never sees
  // more than `limit` at once; without one, more pile up and maxInFlight shows it.
  const limit = 3;
  server = await startRecordingServer((_request, response) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    held.push(() => {
      inFlight--;
      answered++;
      response.writeHead(200, { "content-type": "application/json", "x-request-id": `req-${answered}` });
      response.end("{}");
    });
    if (held.length === limit || held.length === ids.length - answered) {
      const batch = held;
      held = [];
      for (const answer of batch) answer();
    }
  });
});
afterAll(() => server.close());

describe("--concurrency", () => {
  it("keeps at most N instances in flight, and reports every instance in the order given", async () => {
    const args = [
      "close-instance-sessions",
      "--endpoint",
      server.url,
      "--project-id",
      projectId,
      ...ids.flatMap((id) => ["--instance-id", id]),
    ];
    const run = await runBin([...args, "--concurrency", "3", "--yes", "--json"], { env: { GEMINIDB_TOKEN: "MIITestToken0001" } });
    expect(run.code, run.stderr).toBe(0);
    expect(maxInFlight).toBe(3);
    // The bin's own account (stderr: "closing <id>" before each request, "closed <id>" after):
    // an unbounded run would start all 7 before the first answer could arrive.
    let running = 0;
    let mostRunning = 0;
    for (const line of run.stderr.split("\n")) {
      if (/^closing \S+$/.test(line)) mostRunning = Math.max(mostRunning, ++running);
      if (line.startsWith("closed ")) running--;
    }
    expect(mostRunning).toBe(3);
    expect(server.requests).toHaveLength(ids.length);
    expect((JSON.parse(run.stdout) as CliReport).results.map((result) => result.instanceId)).toEqual(ids);
  });
});
