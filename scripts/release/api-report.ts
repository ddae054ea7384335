/**
 * `pnpm api:report`: the public TypeScript API of every published package, as API
 * Extractor reports generated from the built declarations: `packages/<name>/etc/<name>.api.md`
 * for the main entry (`dist/index.d.ts`), and `<name>.<subpath>.api.md` for each further
 * entry point in the package's `exports` (`@geminidb-sessions/core/server` →
 * `core.server.api.md`). Reviewers read their diff (`pnpm spec:diff` shows it) to see what
 * a change does to users' code; CI fails when a committed report is out of date.
 *
 *   pnpm api:report                         rewrite every report (after pnpm build)
 *   pnpm api:check                          exit 1, naming each stale report, when one differs
 *   tsx scripts/release/api-report.ts [--check] <package-dir>...   just these packages
 *
 * The packages must be built first (`pnpm build`; the turbo task `//#api:check`
 * depends on every published package's build).
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { Extractor, ExtractorConfig, ExtractorLogLevel, type ExtractorMessage } from "@microsoft/api-extractor";
import { repoRoot, runMain } from "../lib/repo.js";
import { publishedPackages } from "../test/workspace.js";

/** The report's file name without `.api.md`: the unscoped package name, then the subpath's segments (`core.server`). */
function reportStem(packageName: string, subpath: string): string {
  const unscoped = packageName.replace(/^@[^/]+\//, "");
  const rest = subpath.replace(/^\.\/?/, "");
  return rest === "" ? unscoped : `${unscoped}.${rest.split("/").join(".")}`;
}

/** Where the report of a package's entry point lives (`subpath` as in `exports`, `.` for the main entry). */
export function reportFile(packageDir: string, packageName: string, subpath = "."): string {
  return join(packageDir, "etc", `${reportStem(packageName, subpath)}.api.md`);
}

type Manifest = {
  name: string;
  types?: string;
  exports?: Record<string, unknown>;
};

/**
 * The entry points to report and the declarations an ESM user of each gets: `.` (dist/index.d.ts
 * for ours), then every other subpath of `exports` that has `import.types`. Subpaths exporting a
 * file (`./package.json`, the spec's `./openapi.yaml`) have no API to report.
 */
export function reportedEntries(manifest: Manifest): Array<{ subpath: string; types: string }> {
  const typesOf = (target: unknown): string | undefined => {
    const types = (target as { import?: { types?: unknown } } | undefined)?.import?.types;
    return typeof types === "string" ? types : undefined;
  };
  const entries = [{ subpath: ".", types: typesOf(manifest.exports?.["."]) ?? manifest.types ?? "dist/index.d.ts" }];
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    const types = typesOf(target);
    if (subpath !== "." && types !== undefined) entries.push({ subpath, types });
  }
  return entries;
}

export interface ReportResult {
  /** The report, relative to the repository root when it is inside it. */
  file: string;
  /** The report on disk differs from the built declarations (check mode), or was rewritten (update mode). */
  changed: boolean;
  /** Errors and warnings API Extractor raised (a report is still written). */
  messages: string[];
}

const show = (path: string) => (path.startsWith(repoRoot) ? relative(repoRoot, path) : path);

/** Runs API Extractor on each entry point of one built package; `update` rewrites their reports, otherwise they are only compared. */
export async function apiReport(packageDir: string, update: boolean): Promise<ReportResult[]> {
  const dir = resolve(packageDir);
  const manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as Manifest;
  const results: ReportResult[] = [];
  for (const { subpath, types } of reportedEntries(manifest)) results.push(await entryReport(dir, manifest.name, subpath, types, update));
  return results;
}

async function entryReport(dir: string, name: string, subpath: string, types: string, update: boolean): Promise<ReportResult> {
  const entry = join(dir, types);
  if (!existsSync(entry)) throw new Error(`${show(entry)} does not exist: run pnpm build first`);
  const file = reportFile(dir, name, subpath);
  if (update) await mkdir(join(dir, "etc"), { recursive: true });
  const temp = await mkdtemp(join(tmpdir(), "api-report-"));
  try {
    const config = ExtractorConfig.prepare({
      configObject: {
        projectFolder: dir,
        mainEntryPointFilePath: entry,
        compiler: {
          overrideTsconfig: {
            compilerOptions: {
              target: "es2022",
              module: "nodenext",
              moduleResolution: "nodenext",
              lib: ["es2022", "dom"],
              types: ["node"],
              typeRoots: [join(repoRoot, "node_modules/@types")],
            },
            files: [entry],
          },
        },
        apiReport: { enabled: true, reportFolder: join(dir, "etc"), reportTempFolder: temp, reportFileName: reportStem(name, subpath) },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        newlineKind: "lf",
        messages: {
          compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
          extractorMessageReporting: {
            default: { logLevel: ExtractorLogLevel.Warning },
            // We do not tag releases (@public/@beta) per declaration: everything exported is public.
            "ae-missing-release-tag": { logLevel: ExtractorLogLevel.None },
            // Documentation is the READMEs' and the TSDoc's job, not this report's.
            "ae-undocumented": { logLevel: ExtractorLogLevel.None },
          },
          tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
        },
      },
      configObjectFullPath: join(dir, "api-extractor.json"),
      packageJsonFullPath: join(dir, "package.json"),
    });
    const messages: string[] = [];
    const result = Extractor.invoke(config, {
      localBuild: update,
      messageCallback: (message: ExtractorMessage) => {
        message.handled = true;
        // The "report changed" warning is what `changed` says; the rest are worth reading.
        if (String(message.messageId).startsWith("console-")) return;
        if (message.logLevel === "error" || message.logLevel === "warning") messages.push(message.text);
      },
    });
    return { file: show(file), changed: result.apiReportChanged, messages };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const check = args.includes("--check");
  const named = args.filter((a) => !a.startsWith("--"));
  const dirs = named.length > 0 ? named.map((d) => resolve(d)) : (await publishedPackages()).map((p) => p.dir);
  let stale = 0;
  for (const dir of dirs) {
    const results = await apiReport(dir, !check);
    for (const result of results) {
      for (const message of result.messages) process.stdout.write(`  note ${result.file}: ${message}\n`);
      if (check && result.changed) {
        stale += 1;
        process.stdout.write(`FAIL ${result.file} does not match the built API of ${show(dir)}\n`);
      } else {
        process.stdout.write(`${result.changed ? "updated" : "ok     "} ${result.file}\n`);
      }
    }
    // A report whose entry point is gone (a subpath dropped from `exports`) would otherwise linger unchecked.
    const reported = new Set(results.map((result) => resolve(repoRoot, result.file)));
    const etc = join(dir, "etc");
    const leftover = existsSync(etc) ? (await readdir(etc)).filter((f) => f.endsWith(".api.md") && !reported.has(join(etc, f))) : [];
    for (const name of leftover) {
      if (check) {
        stale += 1;
        process.stdout.write(`FAIL ${show(join(etc, name))} reports an entry point ${show(dir)} no longer exports\n`);
      } else {
        await rm(join(etc, name));
        process.stdout.write(`removed ${show(join(etc, name))} (no such entry point any more)\n`);
      }
    }
  }
  if (check && stale > 0) {
    process.stdout.write(`api:check: ${stale} API report(s) out of date; run \`pnpm build && pnpm api:report\` and commit the result\n`);
    return 1;
  }
  return 0;
}

runMain("api-report", main, 2, import.meta.url);
