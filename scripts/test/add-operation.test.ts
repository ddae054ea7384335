// Issue 13's promise, proven: an operation added to the spec reaches both clients as a typed
// method and the emulator as a route (answering "not emulated"), with no handwritten change.
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { repoRoot } from "../lib/repo.js";
import { scratchRepo } from "./scratch-repo.js";

const run = promisify(execFile);
const tsx = join(repoRoot, "node_modules/tsx/dist/cli.mjs");
const tsc = join(repoRoot, "node_modules/typescript/bin/tsc");

/** A sixth operation, as a spec author would add it: a path, a schema for its body, nothing else. */
// biome-ignore lint/suspicious/noExplicitAny: a parsed OpenAPI document, edited by path the way a spec author would
function withSlowLogOperation(spec: Record<string, any>): Record<string, any> {
  const statistics = spec.paths["/v3/{project_id}/redis/nodes/{node_id}/session-statistics"];
  spec.paths["/v3/{project_id}/redis/nodes/{node_id}/slowlog"] = {
    parameters: statistics.parameters,
    get: {
      ...statistics.get,
      operationId: "getNodeSlowLog",
      summary: "One node's slow log",
      description: "Returns the node's slowest recent commands.",
      "x-vendor-operation-id": "ListSlowLogs",
      parameters: [
        { name: "limit", in: "query", required: false, description: "How many entries.", schema: { type: "integer", minimum: 1 } },
      ],
      responses: {
        ...statistics.get.responses,
        "200": {
          description: "The slow log.",
          content: {
            "application/json": {
              schema: { $ref: "#/components/schemas/SlowLog" },
              examples: { one: { summary: "One entry", value: { entries: [{ command: "KEYS *", duration_us: 120000 }] } } },
            },
          },
        },
      },
    },
  };
  spec.components.schemas.SlowLog = {
    title: "Slow log",
    description: "A node's slowest recent commands.",
    "x-assumption": "a test operation",
    type: "object",
    required: ["entries"],
    properties: {
      entries: {
        type: "array",
        items: {
          type: "object",
          required: ["command", "duration_us"],
          properties: { command: { type: "string" }, duration_us: { type: "integer", minimum: 0 } },
        },
      },
    },
  };
  return spec;
}

/** A program calling the new operation through both clients; tsc must accept it, and reject its misuse. */
const program = `
import { createBareSessionsClient, createSessionsClient, getNodeSlowLog } from "@geminidb-sessions/client";
import { createSessionsApi } from "@geminidb-sessions/typescript-fetch";

const options = { projectId: "619d3e78f61b4be68bc5aa0b59edcf7b", endpoint: "http://127.0.0.1:1", credentials: { token: "t" } } as const;
const nodeId = "784b3fb7bac14bc490659950dd4f022fno12";

export async function viaClient(): Promise<number> {
  const { data, requestId } = await createSessionsClient(options).getNodeSlowLog({ nodeId, limit: 5 });
  const first: string | undefined = requestId;
  void first;
  return data.entries.reduce((sum, entry) => sum + entry.duration_us, 0);
}

export async function viaFunction(): Promise<number> {
  const { data } = await getNodeSlowLog(createBareSessionsClient(options), { nodeId, limit: 5 });
  return data.entries.length;
}

export async function viaTypescriptFetch(): Promise<string[]> {
  const log = await createSessionsApi(options).getNodeSlowLog({ nodeId });
  return log.entries.map((entry) => entry.command);
}

export function misuse(): void {
  const client = createSessionsClient(options);
  // @ts-expect-error nodeId is required
  void client.getNodeSlowLog({});
  // @ts-expect-error limit is a number
  void client.getNodeSlowLog({ nodeId, limit: "5" });
  // @ts-expect-error nodeId is required
  void getNodeSlowLog(client, {});
}
`;

/** At run time: the emulator routes the new operation and says it does not emulate it; the client types that answer. */
const runtimeCheck = `
import { createSessionsClient } from "@geminidb-sessions/client";
import { demoIds, startEmulator } from "@geminidb-sessions/emulator";

const emu = await startEmulator({ port: 0 });
try {
  const client = createSessionsClient({ projectId: emu.credentials.projectId, endpoint: emu.url, credentials: { token: emu.credentials.token } });
  const error = await client.getNodeSlowLog({ nodeId: demoIds.nodes.redisProxy[0] }).then(() => undefined, (e: any) => e);
  const refused = await client.getNodeSlowLog({ nodeId: "a/b" }).then(() => undefined, (e: any) => e);
  console.log(JSON.stringify({ name: error?.name, status: error?.status, code: error?.code, refused: refused?.name, field: refused?.field }));
} finally {
  await emu.close();
}
`;

describe("adding an operation to the spec", () => {
  let scratch: { dir: string; remove: () => Promise<void> };
  beforeAll(async () => {
    scratch = await scratchRepo("add-operation-");
    const file = join(scratch.dir, "spec/openapi.yaml");
    await writeFile(file, stringify(withSlowLogOperation(parse(await readFile(file, "utf8")))));
    await run(process.execPath, [tsx, "scripts/generate.ts"], { cwd: scratch.dir, maxBuffer: 16 * 1024 * 1024 });
    // Resolve the packages to their sources in the scratch tree, as a build would.
    await writeFile(
      join(scratch.dir, "tsconfig.add-operation.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: "es2022",
          module: "esnext",
          moduleResolution: "bundler",
          lib: ["es2022", "dom"],
          types: ["node"],
          skipLibCheck: true,
          allowJs: true,
          // A package's subpath exports (core's `./server`, `./public-surface`, `./node`) resolve to their source files.
          paths: {
            "@geminidb-sessions/core/*": ["./packages/core/src/*.ts"],
            "@geminidb-sessions/*": ["./packages/*/src/index.ts"],
          },
        },
        files: ["program.ts"],
      }),
    );
    await writeFile(join(scratch.dir, "program.ts"), program);
    await writeFile(join(scratch.dir, "runtime-check.ts"), runtimeCheck);
  }, 300_000);
  afterAll(() => scratch?.remove());

  it("gives both clients a typed method, and the client a typed function, with no handwritten change", async () => {
    const result = await run(process.execPath, [tsc, "-p", "tsconfig.add-operation.json"], { cwd: scratch.dir }).then(
      () => ({ code: 0, output: "" }),
      (error: { code: number; stdout: string }) => ({ code: error.code, output: error.stdout }),
    );
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  }, 120_000);

  it("gives the emulator a route that answers 501 not emulated, and the client checks the new input", async () => {
    const { stdout } = await run(process.execPath, [tsx, "--tsconfig", "tsconfig.add-operation.json", "runtime-check.ts"], {
      cwd: scratch.dir,
    });
    expect(JSON.parse(stdout.trim().split("\n").pop() ?? "{}")).toEqual({
      name: "ServerError",
      status: 501,
      code: "EMULATOR.NOT_EMULATED",
      refused: "ValidationError",
      field: "nodeId",
    });
  }, 120_000);
});
