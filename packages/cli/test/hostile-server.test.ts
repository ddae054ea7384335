import { type RecordingServer, startRecordingServer } from "@geminidb-sessions/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliReport } from "../src/index.js";
import { exitCodes } from "../src/results.js";
import { clean } from "../src/text.js";
import { runBin } from "./support/run-bin.js";

// Issue 14, item 11: what a hostile server can put in front of a person. Each string below
// would act on a terminal: set the window title (OSC 0), clear the screen (CSI 2J), paint a
// fake green line (SGR), move the cursor with an 8-bit CSI (U+009B), or reverse the text's
// direction (U+202E, Trojan Source).
const title = "\u001b]0;pwned\u0007";
const clear = "\u001b[2J";
const green = "\u001b[32mclosed everything fine\u001b[0m";
const c1 = "\u009b31m";
const bidi = "\u202e";
const hostile = { code: `DBS.200019${green}`, message: `busy${title}${clear}`, requestId: `req-${c1}${bidi}1` };
const session = { id: "1", name: `worker${title}`, addr: `10.0.0.1:5000${bidi}`, cmd: `get${clear}`, age: "9", idle: "9", db: "0" };
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const unsafe = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const projectId = "619d3e78f61b4be68bc5aa0b59edcf7b";
const instanceId = "c865f921f3dd45198f209a607533a779in12";
const nodeId = "784b3fb7bac14bc490659950dd4f022fno12";
const env = { GEMINIDB_TOKEN: "MIITestToken0001", HUAWEICLOUD_SDK_PROJECT_ID: projectId };

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer((request, response) => {
    if (request.method === "GET") {
      response.writeHead(200, { "content-type": "application/json", "x-request-id": "req-list" });
      response.end(JSON.stringify({ total_count: 1, sessions: [session] }));
      return;
    }
    // The request ID comes in the body (no header), so it can hold ESC too.
    response.writeHead(403, { "content-type": "application/json" });
    response.end(JSON.stringify({ error_code: hostile.code, error_msg: hostile.message, request_id: hostile.requestId }));
  });
});
afterAll(() => server.close());

describe("server-supplied text shown to a person", () => {
  it("an error's code, message and request ID reach the table, progress and details without any control character", async () => {
    const run = await runBin(
      ["close-instance-sessions", "--endpoint", server.url, "--instance-id", instanceId, "--yes", "--max-retries", "0"],
      { env },
    );
    expect(run.code).toBe(exitCodes.failure);
    const shown = run.stdout + run.stderr;
    expect(shown).not.toMatch(unsafe);
    // What is left is readable: the code and the request ID, minus the sequences.
    expect(run.stdout).toMatch(/failed +DBS\.200019closed everything fine +req-31m1$/m);
    expect(run.stderr).toContain("busy");
  });

  it("--json keeps every value exactly as the server sent it (JSON-escaped)", async () => {
    const run = await runBin(
      ["close-instance-sessions", "--endpoint", server.url, "--instance-id", instanceId, "--yes", "--max-retries", "0", "--json"],
      { env },
    );
    const [result] = (JSON.parse(run.stdout) as CliReport).results;
    expect(result?.code).toBe(hostile.code);
    expect(result?.requestId).toBe(hostile.requestId);
    // stdout holds only JSON, whose escapes (\u001b) a terminal does not act on.
    expect(run.stdout).not.toMatch(unsafe);
    expect(run.stderr).not.toMatch(unsafe);
  });

  it("session fields (name, addr, cmd) in a listing are cleaned; --json keeps them", async () => {
    const table = await runBin(["list-node-sessions", "--endpoint", server.url, "--node-id", nodeId], { env });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).not.toMatch(unsafe);
    expect(table.stdout).toMatch(/^1 +10\.0\.0\.1:5000 +worker +9 +9 +0 +get$/m);
    const json = await runBin(["list-node-sessions", "--endpoint", server.url, "--node-id", nodeId, "--json"], { env });
    const data = (JSON.parse(json.stdout) as { results: Array<{ data: { sessions: unknown[] } }> }).results[0]?.data;
    expect(data?.sessions).toEqual([session]);
  });

  it("the selective close's list of chosen sessions and its prompt text are cleaned too", async () => {
    const run = await runBin(
      ["close-idle-sessions", "--endpoint", server.url, "--node-id", nodeId, "--idle-longer-than", "1", "--dry-run"],
      { env },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toMatch(unsafe);
    expect(run.stdout).toContain("1 of 1 session(s) idle for more than 1 s, would close:");
  });
});

describe("clean()", () => {
  it.each([
    ["OSC title, BEL-terminated", `a${title}b`, "ab"],
    ["OSC, ST-terminated", "a\u001b]8;;http://x\u001b\\b", "ab"],
    ["CSI with parameters", `a${clear}\u001b[1;31mb`, "ab"],
    ["an unterminated CSI at the end", "a\u001b[", "a"],
    ["8-bit CSI and other C1 controls", `a${c1}\u0085b`, "a31mb"],
    ["bidi overrides and isolates", `a${bidi}\u2066b\u2069\u200f`, "ab"],
    ["line breaks and tabs become spaces", "a\r\nb\tc", "a  b c"],
    ["NUL, BEL, DEL", "a\u0000\u0007\u007fb", "ab"],
    ["plain text and non-Latin letters stay", "ünïcode 数据库 ok", "ünïcode 数据库 ok"],
  ])("%s", (_name, input, expected) => {
    expect(clean(input)).toBe(expected);
  });
});
