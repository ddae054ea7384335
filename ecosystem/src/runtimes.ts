import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type ProjectSpec, run, tools as toolVersions, typesNode } from "./setup.js";

/** What the shared scenario reports per step (see fixtures/scenario.mjs). */
export interface StepResult {
  step: string;
  flavour: string;
  outcome: "passed" | "failed" | "skipped";
  detail?: string;
}

export interface Context {
  /** The installed runtime/tool cache. */
  tools: string;
  /** This runtime's project, with the tarballs installed. */
  project: string;
  /** The emulator package, imported from the installed node-esm project. */
  emulator: EmulatorModule;
}

export interface Runtime {
  id: string;
  /** The runtime as the README tables name it. */
  label: string;
  project: Omit<ProjectSpec, "name">;
  /** Why this runtime cannot run here, or undefined when it can (`host` has every package installed). */
  unavailable?: (tools: string, host: string) => string | undefined;
  run: (context: Context) => Promise<StepResult[]>;
}

// The emulator's public surface as the suite uses it (types stay loose: the emulator is
// loaded from the installed tarball, not from the workspace).
interface RunningEmulator {
  url: string;
  credentials: { projectId: string; token: string; accessKey: string; secretKey: string };
  world: { totalSessions(instanceId: string): Promise<number> };
  close(): Promise<void>;
}
export interface EmulatorModule {
  startEmulator(options: Record<string, unknown>): Promise<RunningEmulator>;
  demoWorld(): { projects: Array<{ instances: unknown[] }> };
  demoIds: { unknownInstanceId: string };
}

export function loadEmulator(nodeProject: string): Promise<EmulatorModule> {
  return import(pathToFileURL(join(nodeProject, "node_modules/@geminidb-sessions/emulator/dist/index.js")).href) as Promise<EmulatorModule>;
}

const marker = "ECOSYSTEM_RESULT ";
const denoEnv = { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };

function hex() {
  return randomBytes(16).toString("hex");
}

/** Adds a Redis proxy instance, its nodes holding `sessions`, to the demo world's project: its id and its nodes' ids. */
function addInstance(world: ReturnType<EmulatorModule["demoWorld"]>, sessions: number[], name?: string): { id: string; nodes: string[] } {
  const id = `${hex()}in12`;
  const nodes = sessions.map(() => `${hex()}no12`);
  const instance = { id, ...(name === undefined ? {} : { name }), engine: "redis", mode: "proxy-cluster" };
  world.projects[0]?.instances.push({ ...instance, nodes: nodes.map((node, i) => ({ id: node, sessions: sessions[i] })) });
  return { id, nodes };
}

/** One emulator per runtime: the demo world (its token and AK/SK) plus instances this run closes. */
async function withEmulator(
  emulator: EmulatorModule,
  options: Record<string, unknown>,
  body: (target: Record<string, unknown>, emu: RunningEmulator) => Promise<StepResult[]>,
): Promise<StepResult[]> {
  const world = emulator.demoWorld();
  const instance = (name: string) => addInstance(world, [2, 3], name).id;
  const closed = {
    client: { token: instance("client-token"), aksk: instance("client-aksk") },
    "typescript-fetch": { token: instance("tsfetch-token"), aksk: instance("tsfetch-aksk") },
  };
  const slowInstanceId = instance("slow");
  const listedNodeId = addInstance(world, [7], "listed").nodes[0];
  const emu = await emulator.startEmulator({
    port: 0,
    world,
    // Calls to the slow instance are held 30 s (cut short by close()), so step (d)'s abort
    // always lands in flight.
    faults: [{ instanceId: slowInstanceId, effect: { type: "latency", ms: 30_000 } }],
    ...options,
  });
  try {
    const target = {
      url: emu.url,
      ...emu.credentials,
      instances: closed,
      unknownInstanceId: emulator.demoIds.unknownInstanceId,
      slowInstanceId,
      nodeId: listedNodeId,
    };
    const steps = await body(target, emu);
    // A close step passes only if the emulator's sessions are really gone.
    for (const step of steps) {
      if (step.outcome !== "passed" || !/^[ab]:/.test(step.step)) continue;
      const flavour = step.flavour as keyof typeof closed;
      const id = step.step.startsWith("a:") ? closed[flavour].token : closed[flavour].aksk;
      const left = await emu.world.totalSessions(id);
      if (left !== 0) Object.assign(step, { outcome: "failed", detail: `the call resolved but the emulator still holds ${left} sessions` });
    }
    return steps;
  } finally {
    await emu.close();
  }
}

/** The result line a program printed, or one failed step saying why there is none. */
export function parseResult(label: string, output: { code: number | null; stdout: string; stderr: string }): StepResult[] {
  const line = output.stdout.split("\n").find((l) => l.startsWith(marker));
  if (line !== undefined && output.code === 0) return JSON.parse(line.slice(marker.length)) as StepResult[];
  const why = `${output.stderr}\n${output.stdout}`.trim().split("\n").slice(-6).join("\n");
  return [{ step: "run", flavour: label, outcome: "failed", detail: `exit ${output.code}: ${why}` }];
}

/** The CLI's bin, run by a runtime against an emulator: closes one instance, exit 0, sessions gone. */
async function cliCheck(context: Context, command: string[], env: NodeJS.ProcessEnv = {}): Promise<StepResult[]> {
  const world = context.emulator.demoWorld();
  const { id } = addInstance(world, [4]);
  const emu = await context.emulator.startEmulator({ port: 0, world });
  try {
    const [file = "", ...args] = command;
    const bin = join(context.project, "node_modules/@geminidb-sessions/cli/dist/bin.js");
    const argv = [...args, bin, "close-instance-sessions", "--endpoint", emu.url, "--instance-id", id, "--yes", "--json"];
    const credentials = { GEMINIDB_TOKEN: emu.credentials.token, HUAWEICLOUD_SDK_PROJECT_ID: emu.credentials.projectId };
    const output = await run(file, argv, { cwd: context.project, env: { ...env, ...credentials } });
    const left = await emu.world.totalSessions(id);
    const ok = output.code === 0 && left === 0;
    const detail = `exit ${output.code}, ${left} sessions left: ${output.stderr.trim().split("\n").slice(-4).join(" | ")}`;
    return [{ step: "cli: close one instance", flavour: "cli", outcome: ok ? "passed" : "failed", ...(ok ? {} : { detail }) }];
  } finally {
    await emu.close();
  }
}

/** The shared scenario (`command` runs the project's entry) against an emulator of its own: its steps. */
function scenario(context: Context, label: string, command: string[], env: NodeJS.ProcessEnv = {}): Promise<StepResult[]> {
  const [file = "", ...args] = command;
  return withEmulator(context.emulator, {}, async (target) =>
    parseResult(label, await run(file, args, { cwd: context.project, env: { ...env, ECOSYSTEM_TARGET: JSON.stringify(target) } })),
  );
}

/** A runtime that runs every package: the scenario (`main.mjs` under `main`), then the emulator's own check and the CLI (under `all`). */
async function everyPackage(
  context: Context,
  label: string,
  main: string[],
  all: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<StepResult[]> {
  const steps = await scenario(context, label, [...main, "main.mjs"], env);
  const [file = "", ...args] = all;
  const emulator = parseResult("emulator", await run(file, [...args, "emulator-check.mjs"], { cwd: context.project, env }));
  return [...steps, ...emulator, ...(await cliCheck(context, all, env))];
}

const nodeMajor = process.versions.node.split(".")[0];
const clientPackages = ["@geminidb-sessions/client", "@geminidb-sessions/typescript-fetch"];
const allPackages = [...clientPackages, "@geminidb-sessions/emulator", "@geminidb-sessions/cli"];
const everyPackageProject: Runtime["project"] = {
  type: "module",
  packages: allPackages,
  files: ["scenario.mjs", "main.mjs", "emulator-check.mjs"],
};
const platform = `${process.platform}-${process.arch}`;
const noBinary = (tool: string, version: string) => `npm ${tool}@${version} has no binary for ${platform}`;
const bin = (tools: string, name: string) => join(tools, "node_modules/.bin", name);

async function bundle(context: Context, entry: string, out: string, platform: string, conditions: string) {
  const args = [entry, "--bundle", "--format=esm", `--platform=${platform}`, `--conditions=${conditions}`, "--main-fields=module,main"];
  const output = await run(bin(context.tools, "esbuild"), [...args, `--outfile=${out}`, "--log-level=error"], { cwd: context.project });
  if (output.code !== 0) throw new Error(`esbuild failed: ${output.stderr}`);
  return readFile(join(context.project, out), "utf8");
}

const tsconfig = (files: string[], lib: string[]) =>
  JSON.stringify({
    compilerOptions: {
      target: "ES2022",
      module: "nodenext",
      moduleResolution: "nodenext",
      lib,
      types: ["node"],
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      skipLibCheck: false,
      allowJs: true,
      checkJs: true,
      outDir: "out",
    },
    files,
  });

/** tsc in the TypeScript project: `expectError` names the one error the DOM-leak file must produce. */
async function typecheck(context: Context, tsc: string, args: string[], step: string, expectError?: RegExp): Promise<StepResult> {
  const config = expectError === undefined ? "tsconfig.json" : "tsconfig.dom-leak.json";
  const output = await run(process.execPath, [join(context.tools, "node_modules", tsc, "bin/tsc"), "-p", config, ...args], {
    cwd: context.project,
  });
  const errors = output.stdout.split("\n").filter((l) => /error TS\d+/.test(l));
  const ok = expectError === undefined ? output.code === 0 : errors.length === 1 && expectError.test(errors[0] ?? "");
  if (ok) return { step, flavour: "types", outcome: "passed" };
  const detail =
    expectError === undefined
      ? errors.slice(0, 5).join("\n") || output.stderr
      : errors.length === 0
        ? "type-checks, so DOM globals leaked in"
        : errors.slice(0, 5).join("\n");
  return { step, flavour: "types", outcome: "failed", detail };
}

/** In the order of the README table. */
export const runtimes: Runtime[] = [
  {
    id: "node-esm",
    label: `Node.js ${nodeMajor}, ES modules`,
    project: everyPackageProject,
    run: (context) => everyPackage(context, "node", [process.execPath], [process.execPath]),
  },
  {
    id: "node-cjs",
    label: `Node.js ${nodeMajor}, CommonJS`,
    project: { type: "commonjs", packages: clientPackages, files: ["scenario.mjs", "main.cjs"] },
    run: (context) => scenario(context, "node", [process.execPath, "main.cjs"]),
  },
  {
    id: "typescript",
    label: `TypeScript ${toolVersions["typescript-oldest"].split("@")[1]} and ${toolVersions.typescript}, strict nodenext project`,
    project: {
      type: "module",
      packages: [...allPackages, "@geminidb-sessions/spec"],
      registry: { "@types/node": typesNode },
      files: ["scenario.mjs", "main.ts", "types-consumer.ts", "types-dom-leak.ts"],
      extra: {
        "tsconfig.json": tsconfig(["main.ts", "types-consumer.ts"], ["ES2022"]),
        "tsconfig.dom-leak.json": tsconfig(["types-dom-leak.ts"], ["ES2022"]),
      },
    },
    async run(context) {
      const version = async (tsc: string) =>
        (JSON.parse(await readFile(join(context.tools, "node_modules", tsc, "package.json"), "utf8")) as { version: string }).version;
      const [oldest, newest] = [await version("typescript-oldest"), await version("typescript")];
      // The three compilations at once: the newest also emits what the scenario runs.
      const steps = await Promise.all([
        typecheck(context, "typescript-oldest", ["--noEmit"], `types: every package's .d.ts under TypeScript ${oldest}`),
        typecheck(context, "typescript", [], `types: every package's .d.ts under TypeScript ${newest} (and main.ts built)`),
        typecheck(context, "typescript", ["--noEmit"], "types: no DOM globals in a Node-only consumer", /Cannot find name 'document'/),
      ]);
      if (steps[1]?.outcome !== "passed") return steps;
      return [...steps, ...(await scenario(context, "node", [process.execPath, "out/main.js"]))];
    },
  },
  {
    id: "deno",
    label: `Deno ${toolVersions.deno}`,
    unavailable: (tools) => missingBinary(tools, "deno", noBinary("deno", toolVersions.deno)),
    project: everyPackageProject,
    run(context) {
      const deno = bin(context.tools, "deno");
      const main = [deno, "run", "--allow-net=127.0.0.1", "--allow-env", "--allow-read"];
      return everyPackage(context, "deno", main, [deno, "run", "--allow-all"], denoEnv);
    },
  },
  {
    id: "bun",
    label: `Bun ${toolVersions.bun}`,
    unavailable: (tools) => missingBinary(tools, "bun", noBinary("bun", toolVersions.bun)),
    project: everyPackageProject,
    run(context) {
      const bun = bin(context.tools, "bun");
      return everyPackage(context, "bun", [bun], [bun]);
    },
  },
  {
    id: "workerd",
    label: `Cloudflare workerd (miniflare ${toolVersions.miniflare})`,
    unavailable: (tools) =>
      missingBinary(tools, "workerd", `npm miniflare@${toolVersions.miniflare} brought no workerd binary for ${platform}`),
    project: { type: "module", packages: clientPackages, files: ["scenario.mjs", "worker.mjs"] },
    async run(context) {
      const script = await bundle(context, "worker.mjs", "worker.bundle.js", "neutral", "workerd,worker,browser");
      const { Miniflare } = (await import(pathToFileURL(join(context.tools, "node_modules/miniflare/dist/src/index.js")).href)) as {
        Miniflare: new (
          options: Record<string, unknown>,
        ) => { dispatchFetch(url: string, init: Record<string, unknown>): Promise<Response>; dispose(): Promise<void> };
      };
      const worker = new Miniflare({ modules: true, script, compatibilityDate: "2026-07-01" });
      try {
        return await withEmulator(context.emulator, {}, async (target) => {
          const response = await worker.dispatchFetch("http://worker.test/", { method: "POST", body: JSON.stringify(target) });
          const text = await response.text();
          if (response.status !== 200)
            return [{ step: "run", flavour: "workerd", outcome: "failed", detail: `${response.status}: ${text.slice(0, 1000)}` }];
          return JSON.parse(text) as StepResult[];
        });
      } finally {
        await worker.dispose();
      }
    },
  },
  {
    id: "chromium",
    label: `headless Chromium (Debian), esbuild ${toolVersions.esbuild} bundle`,
    project: { type: "module", packages: clientPackages, files: ["scenario.mjs", "browser.mjs"] },
    unavailable(tools, _host) {
      if (!existsSync(join(tools, "node_modules/playwright-core/package.json"))) return "playwright-core is not installed";
      if (chromiumPath() === undefined) return "no chromium on the PATH (Debian: apt-get install chromium)";
      return undefined;
    },
    async run(context) {
      const script = await bundle(context, "browser.mjs", "browser.bundle.js", "browser", "browser");
      const page = `<!doctype html><meta charset="utf-8"><title>ecosystem</title><script type="module" src="/bundle.js"></script>`;
      const server = createServer((request, response) => {
        const js = request.url === "/bundle.js";
        response.writeHead(200, { "content-type": js ? "text/javascript" : "text/html" }).end(js ? script : page);
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const { chromium } = (await import(pathToFileURL(join(context.tools, "node_modules/playwright-core/index.mjs")).href)) as {
        chromium: { launch(options: Record<string, unknown>): Promise<BrowserLike> };
      };
      const browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox", "--disable-gpu"] });
      try {
        // The page (one loopback origin) calls the emulator (another): the emulator must
        // answer CORS preflights, which it does with `cors: true`.
        return await withEmulator(context.emulator, { cors: true }, async (target) => {
          const tab = await browser.newPage();
          const errors: string[] = [];
          tab.on("pageerror", (error) => errors.push(String(error)));
          await tab.goto(`${origin}/#${encodeURIComponent(JSON.stringify(target))}`);
          await tab.waitForFunction("window.ecosystemResults !== undefined", undefined, { timeout: 60_000 }).catch(() => undefined);
          const results = (await tab.evaluate("window.ecosystemResults")) as StepResult[] | undefined;
          return (
            results ?? [{ step: "run", flavour: "chromium", outcome: "failed", detail: `no result from the page ${errors.join("; ")}` }]
          );
        });
      } finally {
        await browser.close();
        server.close();
      }
    },
  },
];

interface BrowserLike {
  newPage(): Promise<{
    on(event: "pageerror", listener: (error: Error) => void): void;
    goto(url: string): Promise<unknown>;
    waitForFunction(expression: string, arg: undefined, options: { timeout: number }): Promise<unknown>;
    evaluate(expression: string): Promise<unknown>;
  }>;
  close(): Promise<void>;
}

/** A skip reason when the tool set lacks a runtime's binary (an npm package ships one per platform). */
function missingBinary(tools: string, name: string, reason: string): string | undefined {
  return existsSync(bin(tools, name)) ? undefined : reason;
}

function chromiumPath(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    for (const name of ["chromium", "chromium-browser"]) if (dir !== "" && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/**
 * The suite's own check: a client tarball whose `exports` lost its `require` condition
 * must make the CommonJS project fail. Returns the broken tarball's path.
 */
export async function breakTarball(tarball: string, workDir: string): Promise<string> {
  const unpacked = join(workDir, "broken-unpacked");
  await mkdir(unpacked, { recursive: true });
  const tar = await run("tar", ["-xzf", tarball, "-C", unpacked], { cwd: workDir });
  if (tar.code !== 0) throw new Error(`tar: ${tar.stderr}`);
  const manifestPath = join(unpacked, "package/package.json");
  const manifest = JSON.parse(await readFile(manifestPath, "utf8")) as { exports: Record<string, Record<string, unknown>> };
  delete manifest.exports["."]?.require;
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  const broken = join(workDir, "broken-client-0.0.0-broken.tgz");
  const packed = await run("tar", ["-czf", broken, "-C", unpacked, "package"], { cwd: workDir });
  if (packed.code !== 0) throw new Error(`tar: ${packed.stderr}`);
  return broken;
}
