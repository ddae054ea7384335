import { existsSync, lstatSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { publishedPackages, tempDir, vendorCorePackage, vendorDir, vendorServicePackage, type WorkspacePackage } from "../lib/paths.js";
import { exactBytes, formatBytes, type Row, row, type Section, type TargetCheck, targetRow } from "../lib/report.js";
import { pnpm, runOk } from "../lib/run.js";

const CLIENT_INSTALLED_TARGET_BYTES = 1_000_000;
const CLIENT_PACKAGES_TARGET = 5;

interface Weight {
  name: string;
  /** Installed bytes by kind of file (see `kindOf`). */
  byKind: Map<string, number>;
  tarballBytes: number;
  installedBytes: number;
  /** What `du` reports: whole file-system blocks, as the issue's baseline ("about 32 MB") was measured. */
  diskBytes: number;
  packages: string[];
}

const npmQuiet = ["--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"];

/** What a file under node_modules is for: one module system's code or types, or neither. */
export function kindOf(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (/\.d\.cts$/.test(name)) return "CommonJS declarations (`.d.cts`)";
  if (/\.d\.m?ts$/.test(name)) return "ES module declarations (`.d.ts`)";
  if (/\.c[jt]s$/.test(name)) return "CommonJS code (`.cjs`)";
  if (/\.m?js$/.test(name)) return "ES module code (`.js`)";
  if (/\.map$/.test(name)) return "source maps";
  if (/^(?:readme|license|licence|changelog|notice)|\.md$/i.test(name)) return "READMEs, licences, changelogs";
  if (name === "package.json") return "package.json";
  return "other files";
}

/** Kinds that serve only a CommonJS program: an ES module program (and every bundler) never reads them. */
const COMMONJS_ONLY = new Set(["CommonJS declarations (`.d.cts`)", "CommonJS code (`.cjs`)"]);

/** Bytes of every regular file under `dir` (apparent sizes: the same on any file system), by `kindOf`. */
export function treeBytesByKind(dir: string, skip: (path: string) => boolean = () => false): Map<string, number> {
  const kinds = new Map<string, number>();
  const visit = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (skip(path)) continue;
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile()) kinds.set(kindOf(path), (kinds.get(kindOf(path)) ?? 0) + lstatSync(path).size);
    }
  };
  visit(dir);
  return kinds;
}

/** Every installed package (a folder with a package.json) under a node_modules, nested ones included. */
export function installedPackages(nodeModules: string): string[] {
  const found: string[] = [];
  const visit = (modules: string) => {
    for (const entry of readdirSync(modules, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
      const path = join(modules, entry.name);
      const names = entry.name.startsWith("@") ? readdirSync(path).map((name) => `${entry.name}/${name}`) : [entry.name];
      for (const name of names) {
        const packageDir = join(modules, name);
        found.push(name);
        const nested = join(packageDir, "node_modules");
        if (existsSync(nested) && lstatSync(nested).isDirectory()) visit(nested);
      }
    }
  };
  visit(nodeModules);
  return found.sort();
}

/** What `du -s` counts: allocated 512-byte blocks of every file and folder under `dir`. */
export function diskBytes(dir: string): number {
  let total = lstatSync(dir).blocks * 512;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? diskBytes(path) : lstatSync(path).blocks * 512;
  }
  return total;
}

/** `pnpm pack` (which turns `workspace:*` into real versions, as publishing does) into `dir`. */
async function pack(pkg: WorkspacePackage, dir: string): Promise<string> {
  const { command, args } = pnpm();
  const { stdout } = await runOk(command, [...args, "pack", "--pack-destination", dir, "--json"], { cwd: pkg.dir, timeoutMs: 120_000 });
  return (JSON.parse(stdout.slice(stdout.indexOf("{"))) as { filename: string }).filename;
}

/** The workspace packages `pkg` needs at run time, itself included, transitively. */
function workspaceClosure(pkg: WorkspacePackage, all: Map<string, WorkspacePackage>): WorkspacePackage[] {
  const seen = new Map<string, WorkspacePackage>();
  const visit = (current: WorkspacePackage) => {
    if (seen.has(current.manifest.name)) return;
    seen.set(current.manifest.name, current);
    for (const [name, spec] of Object.entries(current.manifest.dependencies ?? {})) {
      const dep = all.get(name);
      if (spec.startsWith("workspace:") && dep) visit(dep);
    }
  };
  visit(pkg);
  return [...seen.values()];
}

/**
 * Installs a packed package with its production dependencies into an empty folder,
 * as a user would, with npm. Our unpublished workspace dependencies come from their
 * own tarballs (listed alongside: npm then uses them for the exact versions the
 * packed manifest names); everything else from the npm registry.
 */
async function installPacked(pkg: WorkspacePackage, all: Map<string, WorkspacePackage>, tarballs: Map<string, string>): Promise<Weight> {
  const dir = tempDir(`install-${pkg.short}`);
  const dependencies = Object.fromEntries(
    workspaceClosure(pkg, all).map((dep) => [dep.manifest.name, `file:${tarballs.get(dep.manifest.name)}`]),
  );
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "weight-probe", private: true, dependencies }));
  await runOk("npm", ["install", "--omit=dev", "--prefer-offline", ...npmQuiet], { cwd: dir, timeoutMs: 300_000 });
  return {
    name: pkg.manifest.name,
    tarballBytes: statSync(tarballs.get(pkg.manifest.name) as string).size,
    ...installed(join(dir, "node_modules")),
  };
}

/** What an install left in `nodeModules`. */
function installed(nodeModules: string): Pick<Weight, "installedBytes" | "byKind" | "diskBytes" | "packages"> {
  const byKind = treeBytesByKind(nodeModules, (path) => path.endsWith(".package-lock.json"));
  return {
    installedBytes: [...byKind.values()].reduce((sum, bytes) => sum + bytes, 0),
    byKind,
    diskBytes: diskBytes(nodeModules),
    packages: installedPackages(nodeModules),
  };
}

/** The vendor SDK: its tarball as the registry serves it, and its install in bench/vendor-sdk (npm ci, production only). */
async function vendorWeight(): Promise<Weight> {
  const version = (JSON.parse(readFileSync(join(vendorDir, "package.json"), "utf8")) as { dependencies: Record<string, string> })
    .dependencies[vendorServicePackage];
  const dir = tempDir("vendor-pack");
  const tarballBytes = async (spec: string) => {
    const { stdout } = await runOk("npm", ["pack", spec, "--dry-run", "--json", ...npmQuiet], { cwd: dir, timeoutMs: 120_000 });
    return (JSON.parse(stdout) as Array<{ size: number }>)[0]?.size ?? Number.NaN;
  };
  const nodeModules = join(vendorDir, "node_modules");
  const coreVersion = (JSON.parse(readFileSync(join(nodeModules, vendorCorePackage, "package.json"), "utf8")) as { version: string })
    .version;
  return {
    name: `${vendorServicePackage}@${version} + core@${coreVersion}`,
    tarballBytes: (await tarballBytes(`${vendorServicePackage}@${version}`)) + (await tarballBytes(`${vendorCorePackage}@${coreVersion}`)),
    ...installed(nodeModules),
  };
}

export async function weightSection(): Promise<Section> {
  const packages = publishedPackages();
  const built = packages.filter((pkg) => pkg.built);
  const all = new Map(built.map((pkg) => [pkg.manifest.name, pkg]));
  const packDir = tempDir("pack");
  const tarballs = new Map<string, string>();
  for (const pkg of built) tarballs.set(pkg.manifest.name, await pack(pkg, packDir));
  const weights: Weight[] = [];
  for (const pkg of built) weights.push(await installPacked(pkg, all, tarballs));
  const vendor = await vendorWeight();

  const rows: Row[] = [];
  for (const weight of [...weights, vendor]) {
    rows.push(
      row(`\`${weight.name}\`: packed tarball`, "KiB", [weight.tarballBytes / 1024]),
      row("… installed with production dependencies", "KiB", [weight.installedBytes / 1024]),
      row("… the same on disk (`du`: whole blocks)", "KiB", [weight.diskBytes / 1024]),
      row("… packages installed in all (itself included)", "packages", [weight.packages.length], 0),
    );
  }

  const client = weights.find((weight) => weight.name === "@geminidb-sessions/client");
  const notes: string[] = [];
  let limit: string | undefined;
  if (client !== undefined) {
    const kinds = [...client.byKind].sort((a, b) => b[1] - a[1]);
    const commonJs = kinds.filter(([kind]) => COMMONJS_ONLY.has(kind)).reduce((sum, [, bytes]) => sum + bytes, 0);
    notes.push(
      `What the client's install holds, by kind of file (all ${client.packages.length} packages): ${kinds.map(([kind, size]) => `${kind} ${exactBytes(size)}`).join(", ")}.`,
    );
    if (client.installedBytes > CLIENT_INSTALLED_TARGET_BYTES)
      limit =
        `the packages ship their code and declarations twice, for ES module and for CommonJS programs (\`exports\` has \`import\` and \`require\`): the CommonJS copies are ${exactBytes(commonJs)}, and what an ES module program can read is ${exactBytes(client.installedBytes - commonJs)}` +
        (client.installedBytes - commonJs <= CLIENT_INSTALLED_TARGET_BYTES
          ? "; the target holds without them, but dropping them breaks every `require` of the packages (Node before 20.19 cannot `require` an ES module)"
          : "");
  }
  const targets: TargetCheck[] = client
    ? [
        targetRow(
          "client installed ≤ 1 MB (1,000,000 bytes) with its dependencies",
          `${formatBytes(client.installedBytes)} (${client.installedBytes.toLocaleString("en-US")} bytes; vendor SDK: ${formatBytes(vendor.installedBytes)})`,
          client.installedBytes <= CLIENT_INSTALLED_TARGET_BYTES,
          limit,
        ),
        targetRow(
          `client ≤ ${CLIENT_PACKAGES_TARGET} packages in all`,
          `${client.packages.length}: ${client.packages.join(", ")} (vendor SDK: ${vendor.packages.length})`,
          client.packages.length <= CLIENT_PACKAGES_TARGET,
        ),
      ]
    : [targetRow("client installed ≤ 1 MB, ≤ 5 packages", "not measured", undefined, "packages/client/dist is not built")];
  const unbuilt = packages.filter((pkg) => !pkg.built).map((pkg) => `\`${pkg.manifest.name}\``);
  return {
    title: "2. Weight: packages",
    method: [
      "Sizes are deterministic, so each is measured once (runs = 1). Each published package is packed with `pnpm pack` (as publishing does: `workspace:*` becomes the version) and installed into an empty folder with `npm install --omit=dev`; our own unpublished dependencies come from their tarballs, the rest from the npm registry.",
      "Installed size is the sum of the files' apparent sizes under node_modules (npm's own lock file left out). The vendor SDK is its registry tarballs (service package plus core), installed with `npm ci --omit=dev` in bench/vendor-sdk (with the `uuid` it needs to load).",
    ],
    rows,
    notes: unbuilt.length > 0 ? [...notes, `Not measured (no dist built when this ran): ${unbuilt.join(", ")}.`] : notes,
    targets,
  };
}
