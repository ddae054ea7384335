import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../lib/repo.js";
import { applyBump, breakingBump } from "../release/changesets.js";
import { type LocalRegistry, startLocalRegistry } from "../release/local-registry.js";
import { findGoTool } from "../release/tools.js";
import { scratchRepo } from "./scratch-repo.js";
import { publishedPackages } from "./workspace.js";

const run = promisify(execFile);

const oasdiff = findGoTool("oasdiff");
if (oasdiff.missing) process.stdout.write(`skipped: ${oasdiff.missing}\n`);

/**
 * Commands a published package's bin must answer. One entry per bin; a check whose
 * package is not in the workspace yet is reported as skipped, and runs by itself as
 * soon as the package exists.
 */
interface BinCheck {
  pkg: string;
  bin: string;
  args: string[];
  /** What the output must show, given the released version. */
  expected: (version: string) => string;
}
const binChecks: BinCheck[] = [{ pkg: "@geminidb-sessions/cli", bin: "geminidb-sessions", args: ["--version"], expected: (v) => v }];

/**
 * The environment of every command: the caller's, minus anything npm or pnpm passed
 * down (when this runs under `pnpm test`, npm_config_* would leak registry, provenance
 * or lifecycle settings into the rehearsal).
 */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_)/i.test(key)) continue;
    env[key] = value;
  }
  return {
    ...env,
    TURBO_TELEMETRY_DISABLED: "1",
    NO_UPDATE_NOTIFIER: "1",
    ...extra,
  };
}

async function sh(command: string, args: string[], cwd: string, env = cleanEnv()): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return stdout + stderr;
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${e.stdout ?? ""}${e.stderr ?? e.message}`);
  }
}

/**
 * The pnpm the README runs (`npx pnpm@<packageManager version>`), as a path: resolved
 * once, before any command points npm at the local registry (which has no pnpm), and
 * put first on the PATH so turbo's package tasks find the same one.
 */
async function resolvePnpm(): Promise<string> {
  const { packageManager } = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8")) as { packageManager: string };
  return (await sh("npx", ["--yes", "-p", packageManager, "which", "pnpm"], repoRoot)).trim();
}

function pnpm(bin: string, args: string[], cwd: string, extra: Record<string, string> = {}): Promise<string> {
  return sh(bin, args, cwd, cleanEnv({ PATH: `${dirname(bin)}${delimiter}${process.env.PATH ?? ""}`, ...extra }));
}

const tsc = (args: string[], cwd: string) => sh(process.execPath, [join(repoRoot, "node_modules/typescript/bin/tsc"), ...args], cwd);

/**
 * The rehearsal's breaking change removes an error code that no handwritten source
 * names (so it breaks users' code, not our build): the first such code of the catalog.
 */
async function unreferencedCatalogCode(root: string): Promise<{ code: string; entry: RegExp }> {
  const spec = parse(await readFile(join(root, "spec/openapi.yaml"), "utf8")) as { "x-error-catalog": Record<string, unknown> };
  const sources: string[] = [];
  for (const pkg of await readdir(join(root, "packages"))) {
    const src = join(root, "packages", pkg, "src");
    const files = await readdir(src, { recursive: true }).catch(() => []);
    for (const file of files) if (/^(?!generated\/).*\.ts$/.test(file)) sources.push(await readFile(join(src, file), "utf8"));
  }
  const code = Object.keys(spec["x-error-catalog"]).find((c) => !sources.some((text) => text.includes(c)));
  if (code === undefined) throw new Error("every catalog code is named in handwritten code: give the rehearsal another breaking change");
  return { code, entry: new RegExp(`^ {2}${code.replace(/\./g, "\\.")}:\\n(?: {4}.*\\n)+`, "m") };
}

/**
 * `pnpm spec:gate` against the last release's git tag, in `cwd`. Throws (failing the
 * rehearsal) when the gate refuses, which is what a real release workflow would do.
 */
const gateOutput = (cwd: string) =>
  oasdiff.path === undefined
    ? Promise.resolve("skipped: oasdiff is not installed")
    : sh(
        process.execPath,
        [join(repoRoot, "node_modules/tsx/dist/cli.mjs"), "scripts/release/breaking-change-gate.ts", "--from", "git-tag"],
        cwd,
      );

const fileStem = (name: string) => name.replace(/^@geminidb-sessions\//, "");

/** A strict Node consumer of the given files: no DOM types, declaration files checked too. */
const consumerTsconfig = (files: string[]) => ({
  compilerOptions: {
    strict: true,
    target: "es2022",
    lib: ["es2022"],
    module: "nodenext",
    moduleResolution: "nodenext",
    noEmit: true,
    skipLibCheck: false,
    types: ["node"],
    allowJs: true,
    checkJs: true,
  },
  files,
});

/** Imports every package both ways and prints the names each form exposes. */
const loadCheckScript = `import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const result = {};
for (const name of JSON.parse(process.argv[2])) {
  result[name] = { esm: Object.keys(await import(name)).sort(), cjs: Object.keys(require(name)).sort() };
}
process.stdout.write(JSON.stringify(result));
`;

/** The emulator's README flow, as a user would write it; typechecked (checkJs) and run. */
const closeInstanceSessionsScript = `// @ts-check
import { createSessionsClient } from "@geminidb-sessions/client";
import { startEmulator } from "@geminidb-sessions/emulator";

const emulator = await startEmulator({ port: 0 });
try {
  const { url, credentials, world } = emulator;
  const snapshot = await world.snapshot();
  const instance = snapshot.projects
    .find((project) => project.id === credentials.projectId)
    ?.instances.find(
      (i) => i.engine === "redis" && i.mode === "proxy-cluster" && i.status === "available" && i.nodes.every((n) => n.status === "normal"),
    );
  if (instance === undefined) throw new Error("the default world has no instance whose sessions can be closed");
  const before = await world.totalSessions(instance.id);
  const client = createSessionsClient({ projectId: credentials.projectId, endpoint: url, credentials: { token: credentials.token } });
  const { requestId } = await client.closeInstanceSessions({ instanceId: instance.id });
  const after = await world.totalSessions(instance.id);
  process.stdout.write(JSON.stringify({ before, after, requestId }));
} finally {
  await emulator.close();
}
`;

describe("release: changeset version + publish to a local registry, then a clean npm install", () => {
  let scratch: { dir: string; remove: () => Promise<void> };
  let work: string;
  let consumer: string;
  let registry: LocalRegistry | undefined;
  let names: string[];
  let released: string;
  let previous: string;
  let versionedManifests: Map<string, { version: string }>;
  let gateBefore: string;
  let removedCode: string;
  let gateAfter: string;

  beforeAll(async () => {
    scratch = await scratchRepo("release-");
    work = await mkdtemp(join(tmpdir(), "release-work-"));
    consumer = join(work, "consumer");
    await cp(join(repoRoot, ".changeset"), join(scratch.dir, ".changeset"), { recursive: true });

    const packages = await publishedPackages(scratch.dir);
    names = packages.map((p) => p.name);
    previous = (JSON.parse(await readFile(join(packages[0]?.dir ?? "", "package.json"), "utf8")) as { version: string }).version;

    // The rehearsal releases a breaking change: the spec as it is now counts as released
    // at the packages' current version (a git tag, as `changeset publish` leaves), then
    // one error code leaves the catalog (oasdiff does not see it; our gate must).
    const git = (args: string[]) =>
      sh(
        "git",
        ["-c", "user.name=release-test", "-c", "user.email=release-test@localhost", "-c", "commit.gpgsign=false", ...args],
        scratch.dir,
      );
    await git(["init", "--quiet", "--initial-branch=main"]);
    await git(["add", "spec"]);
    await git(["commit", "--quiet", "--message", "released spec"]);
    await git(["tag", `@geminidb-sessions/spec@${previous}`]);
    const specFile = join(scratch.dir, "spec/openapi.yaml");
    const spec = await readFile(specFile, "utf8");
    let entry: RegExp;
    ({ code: removedCode, entry } = await unreferencedCatalogCode(scratch.dir));
    const withoutCode = spec.replace(entry, "");
    expect(withoutCode).not.toBe(spec);
    await writeFile(specFile, withoutCode);
    const frontmatter = names.map((name) => `"${name}": ${breakingBump(previous)}`).join("\n");
    await writeFile(
      join(scratch.dir, ".changeset/release-rehearsal.md"),
      `---\n${frontmatter}\n---\n\nRelease rehearsal: ${removedCode} is no longer an error code (breaking).\n`,
    );
    gateBefore = await gateOutput(scratch.dir);

    registry = await startLocalRegistry(join(work, "registry"));
    // `changeset publish` ignores the registry in .npmrc (toolchain notes): the
    // registry goes in the environment, the (dummy) token in a user config file.
    const npmrc = join(work, "publish.npmrc");
    await writeFile(npmrc, `//${registry.url.replace(/^http:\/\//, "")}:_authToken=rehearsal-token\n`);

    const pnpmBin = await resolvePnpm();
    await pnpm(pnpmBin, ["run", "release:version"], scratch.dir);
    gateAfter = await gateOutput(scratch.dir);
    versionedManifests = new Map();
    for (const p of await publishedPackages(scratch.dir)) {
      versionedManifests.set(p.name, JSON.parse(await readFile(join(p.dir, "package.json"), "utf8")) as { version: string });
    }
    released = versionedManifests.get(names[0] ?? "")?.version ?? "";
    await pnpm(pnpmBin, ["run", "release:publish"], scratch.dir, { npm_config_registry: registry.url, npm_config_userconfig: npmrc });

    // A consumer outside any workspace. Our scope comes from the local registry;
    // third-party dependencies (openapi-fetch, yaml, @types/node) from the usual one.
    await mkdir(consumer);
    await writeFile(join(consumer, "package.json"), JSON.stringify({ name: "release-consumer", private: true, type: "module" }));
    await writeFile(join(consumer, ".npmrc"), `@geminidb-sessions:registry=${registry.url}\n`);
    const typesNode = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8")).devDependencies["@types/node"] as string;
    await sh(
      "npm",
      ["install", "--no-audit", "--no-fund", ...names.map((name) => `${name}@${released}`), `@types/node@${typesNode}`],
      consumer,
    );
  }, 600_000);

  afterAll(async () => {
    await registry?.stop();
    await scratch?.remove();
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it.skipIf(oasdiff.path === undefined)(
    "spec:gate allows the breaking change with its changeset pending, and again after changeset version applied it",
    () => {
      expect(gateBefore).toContain(`against git tag @geminidb-sessions/spec@${previous}`);
      expect(gateBefore).toContain(`[error-catalog-code-removed] removed the error code \`${removedCode}\``);
      expect(gateBefore).toContain("class: breaking");
      expect(gateBefore).toContain(`allowed: ${previous} → ${released} may break (pending ${breakingBump(previous)} changeset(s)`);
      expect(gateAfter).toContain(`allowed: ${previous} → ${released} may break (the packages are already versioned ${released}`);
    },
  );

  it("release:version writes the new version into the spec's info.version, regenerates the code and the API reports", async () => {
    const spec = await readFile(join(scratch.dir, "spec/openapi.yaml"), "utf8");
    expect(spec).toMatch(new RegExp(`^info:\\n(?: {2}.*\\n)*? {2}version: ${released.replace(/\./g, "\\.")}\\n`, "m"));
    // The spec package's API report holds info.version: release:version rewrote it, so CI's api:check passes.
    expect(await readFile(join(scratch.dir, "packages/spec/etc/spec.api.md"), "utf8")).toContain(`readonly version: "${released}";`);
    const bundled = await readFile(createRequire(join(consumer, "package.json")).resolve("@geminidb-sessions/spec/openapi.yaml"), "utf8");
    const document = parse(bundled) as { info: { version: string }; "x-error-catalog": Record<string, unknown> };
    expect(document.info.version).toBe(released);
    expect(Object.keys(document["x-error-catalog"])).not.toContain(removedCode);
  });

  it("changeset version bumps every published package to one new version and consumes the changeset", async () => {
    expect(names.length).toBeGreaterThanOrEqual(5);
    // The first release of 0.0.0 is 0.1.0, as the README says; a breaking change needs no more while 0.x.
    expect(released).toBe(applyBump(previous, breakingBump(previous)));
    for (const name of names) expect(versionedManifests.get(name)?.version, name).toBe(released);
    const changelog = await readFile(join(scratch.dir, "packages/client/CHANGELOG.md"), "utf8");
    expect(changelog).toContain(`## ${released}`);
    expect(changelog).toContain(`Release rehearsal: ${removedCode} is no longer an error code (breaking).`);
    await expect(readFile(join(scratch.dir, ".changeset/release-rehearsal.md"))).rejects.toThrow();
  });

  it("installs the released version of every package, its internal dependencies pinned to released versions", async () => {
    for (const name of names) {
      const manifest = JSON.parse(await readFile(join(consumer, "node_modules", name, "package.json"), "utf8")) as {
        version: string;
        dependencies?: Record<string, string>;
        peerDependencies?: Record<string, string>;
      };
      expect(manifest.version, name).toBe(released);
      const ranges = { ...manifest.dependencies, ...manifest.peerDependencies };
      for (const [dependency, range] of Object.entries(ranges)) {
        expect(range, `${name} → ${dependency}`).not.toMatch(/workspace:/);
        if (dependency.startsWith("@geminidb-sessions/")) expect(range.replace(/^[\^~]/, ""), `${name} → ${dependency}`).toBe(released);
      }
    }
  });

  it("loads every package with ESM import and CommonJS require, both exposing the same names", async () => {
    await writeFile(join(consumer, "load-check.mjs"), loadCheckScript);
    const loaded = JSON.parse(await sh(process.execPath, ["load-check.mjs", JSON.stringify(names)], consumer)) as Record<
      string,
      { esm: string[]; cjs: string[] }
    >;
    for (const name of names) {
      expect(loaded[name]?.esm.length, `${name} exports something`).toBeGreaterThan(0);
      expect(loaded[name]?.cjs, name).toEqual(loaded[name]?.esm);
    }
  });

  it("typechecks a strict consumer of every package (module nodenext, ESM and CJS), including the emulator flow", async () => {
    const files = ["close-all-sessions.mjs", ...names.flatMap((name) => [`${fileStem(name)}.mts`, `${fileStem(name)}.cts`])];
    await writeFile(join(consumer, "tsconfig.json"), JSON.stringify(consumerTsconfig(files), null, 2));
    for (const name of names) {
      const stem = fileStem(name);
      await writeFile(
        join(consumer, `${stem}.mts`),
        `import * as surface from "${name}";\nexport const names: readonly string[] = Object.keys(surface);\n`,
      );
      await writeFile(
        join(consumer, `${stem}.cts`),
        `import surface = require("${name}");\nexport const names: readonly string[] = Object.keys(surface);\n`,
      );
    }
    await writeFile(join(consumer, "close-all-sessions.mjs"), closeInstanceSessionsScript);
    const output = await tsc(["-p", "tsconfig.json", "--listFilesOnly"], consumer);
    for (const name of names) expect(output, `${name} types are part of the program`).toContain(`node_modules/${name}/`);
    await tsc(["-p", "tsconfig.json"], consumer);
  });

  it("closes every session of an emulator instance through the installed client", async () => {
    await writeFile(join(consumer, "close-all-sessions.mjs"), closeInstanceSessionsScript);
    const result = JSON.parse(await sh(process.execPath, ["close-all-sessions.mjs"], consumer)) as {
      before: number;
      after: number;
      requestId?: string;
    };
    expect(result.before).toBeGreaterThan(0);
    expect(result.after).toBe(0);
    expect(result.requestId).toMatch(/\S/);
  });

  it.skipIf(oasdiff.path === undefined)(
    "spec:gate takes the just-released spec from the registry as its base, and sees no change",
    async () => {
      const output = await sh(
        process.execPath,
        [join(repoRoot, "node_modules/tsx/dist/cli.mjs"), "scripts/release/breaking-change-gate.ts", "--from", "registry"],
        scratch.dir,
        cleanEnv({ npm_config_registry: registry?.url ?? "" }),
      );
      expect(output).toContain(`against @geminidb-sessions/spec@${released} from the registry`);
      expect(output).toContain("class: none\n");
    },
  );

  describe("bins", () => {
    for (const check of binChecks) {
      const exists = publishedPackages().then((packages) => packages.some((p) => p.name === check.pkg));
      it(`${check.bin} ${check.args.join(" ")} answers with the released version`, async (ctx) => {
        if (!(await exists)) {
          const reason = `${check.pkg} is not in this workspace yet`;
          process.stdout.write(`skipped: ${reason}\n`);
          ctx.skip(reason);
        }
        const output = await sh(join(consumer, "node_modules/.bin", check.bin), check.args, consumer);
        expect(output).toContain(check.expected(released));
      });
    }
  });
});
