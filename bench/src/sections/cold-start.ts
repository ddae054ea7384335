import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { cliBin, packageOf, publishedPackages, resolveVendor, tempDir, vendorHome, vendorServicePackage } from "../lib/paths.js";
import { formatBytes, formatNumber, type Row, row, type Section, type TargetCheck, targetRow } from "../lib/report.js";
import { run } from "../lib/run.js";
import { type Alternative, difference, interleave, median, pairwise, ratio } from "../lib/stats.js";

const CLIENT_ADDS_TARGET_MS = 25;
const CLI_RATIO_TARGET = 1.5;

/** A child environment without anything the benchmark's own runner (tsx) might have put there. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: vendorHome() };
  delete env.NODE_OPTIONS;
  return env;
}

function coldStart(key: string, args: string[]): Alternative {
  return {
    key,
    sample: async () => {
      const finished = await run(process.execPath, args, { env: cleanEnv(), timeoutMs: 30_000 });
      if (finished.code !== 0) throw new Error(`cold start "${key}" exited ${finished.code}: ${finished.stderr.slice(0, 400)}`);
      return finished.ms;
    },
  };
}

const importing = (path: string) => ["--input-type=module", "-e", `import ${JSON.stringify(pathToFileURL(path).href)};`];

/**
 * A module hook that appends the URL of every module the process resolves (so loads) to the file $LOADED_LOG
 * names. Node runs hooks in a thread of their own, which loads this file again to find them.
 */
const LOAD_LOGGER = `import { appendFileSync } from "node:fs";
import { register } from "node:module";
import { isMainThread } from "node:worker_threads";
if (isMainThread) register(import.meta.url);
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(process.env.LOADED_LOG, resolved.url + "\\n");
  return resolved;
}
`;

/** The files a fresh process loads to import `entry`, with their sizes, and the Node built-ins it imports: counted once, not timed. */
async function filesLoaded(entry: string): Promise<{ files: Array<{ file: string; bytes: number }>; builtins: string[] }> {
  const dir = tempDir("loaded");
  const logger = join(dir, "log-loads.mjs");
  const log = join(dir, "loaded.txt");
  writeFileSync(logger, LOAD_LOGGER);
  writeFileSync(log, "");
  const finished = await run(process.execPath, ["--import", pathToFileURL(logger).href, ...importing(entry)], {
    env: { ...cleanEnv(), LOADED_LOG: log },
    timeoutMs: 30_000,
  });
  if (finished.code !== 0) throw new Error(`counting what ${entry} loads failed: ${finished.stderr.slice(0, 400)}`);
  const urls = [...new Set(readFileSync(log, "utf8").split("\n"))];
  return {
    files: urls
      .filter((url) => url.startsWith("file:"))
      .map((url) => ({ file: fileURLToPath(url), bytes: statSync(fileURLToPath(url)).size })),
    builtins: urls.filter((url) => url.startsWith("node:")),
  };
}

export async function coldStartSection(rounds: number): Promise<Section> {
  const bare = coldStart("bare", ["-e", "0"]);
  const emptyModule = join(tempDir("empty"), "empty.mjs");
  writeFileSync(emptyModule, "");
  const empty = coldStart("empty module", importing(emptyModule));
  const packages = publishedPackages();
  const imports = packages.flatMap((pkg) => (pkg.built && pkg.esmEntry ? [coldStart(pkg.manifest.name, importing(pkg.esmEntry))] : []));
  const vendor = coldStart(vendorServicePackage, importing(resolveVendor(vendorServicePackage)));
  const bin = cliBin();
  const cli = bin === undefined ? [] : [coldStart("cli --version", [bin, "--version"]), coldStart("cli --help", [bin, "--help"])];

  // One throwaway start of each first: the first spawn of a file pays the disk cache, which is no part of a cold start we can repeat.
  const alternatives = [bare, empty, ...imports, vendor, ...cli];
  for (const alternative of alternatives) await alternative.sample();
  const samples = await interleave(alternatives, rounds);
  const bareMs = samples.bare ?? [];

  const emptyAdds = pairwise(samples["empty module"] ?? [], bareMs, difference);
  const rows: Row[] = [
    row("`node -e 0` (nothing imported)", "ms", bareMs),
    row("import of an empty ES module file: what starting the ES module loader adds over `node -e 0`", "ms", emptyAdds),
  ];
  for (const alternative of [...imports, vendor]) {
    const ms = samples[alternative.key] ?? [];
    rows.push(row(`import \`${alternative.key}\``, "ms", ms), row("… adds over `node -e 0`", "ms", pairwise(ms, bareMs, difference)));
  }
  for (const alternative of cli) {
    const ms = samples[alternative.key] ?? [];
    rows.push(
      row(`\`geminidb-sessions ${alternative.key.slice(4)}\``, "ms", ms),
      row("… ÷ `node -e 0`", "×", pairwise(ms, bareMs, ratio), 2),
    );
  }

  const clientAdds = median(pairwise(samples["@geminidb-sessions/client"] ?? [], bareMs, difference));
  const vendorAdds = median(pairwise(samples[vendorServicePackage] ?? [], bareMs, difference));
  const measured = Number.isFinite(clientAdds);
  const notes: string[] = [];
  let limit: string | undefined = measured ? undefined : "packages/client/dist is not built";
  const clientEntry = packages.find((pkg) => pkg.manifest.name === "@geminidb-sessions/client" && pkg.built)?.esmEntry;
  if (clientEntry !== undefined) {
    const { files, builtins } = await filesLoaded(clientEntry);
    const byPackage = new Map<string, { files: number; bytes: number }>();
    for (const { file, bytes } of files) {
      const owner = packageOf(file, file);
      const entry = byPackage.get(owner) ?? { files: 0, bytes: 0 };
      byPackage.set(owner, { files: entry.files + 1, bytes: entry.bytes + bytes });
    }
    const total = files.reduce((sum, file) => sum + file.bytes, 0);
    const parts = [...byPackage].sort((a, b) => b[1].bytes - a[1].bytes);
    const loaded = `${files.length} files, ${formatBytes(total)} of JavaScript`;
    notes.push(
      `What importing the client loads (counted once by a module hook, not timed): ${loaded}; by package: ${parts.map(([name, part]) => `${name} ${part.files} file${part.files === 1 ? "" : "s"}, ${formatBytes(part.bytes)}`).join("; ")}. Node built-ins it imports: ${builtins.length === 0 ? "none" : builtins.join(", ")}.`,
    );
    if (clientAdds > CLIENT_ADDS_TARGET_MS)
      limit = `starting the ES module loader alone adds ${formatNumber(median(emptyAdds))} ms (an empty module); the rest is reading and compiling what the import loads: ${loaded} (notes above)`;
  }
  const targets: TargetCheck[] = [
    targetRow(
      `the client adds ≤ ${CLIENT_ADDS_TARGET_MS} ms to a cold start`,
      `${formatNumber(clientAdds)} ms (vendor SDK: ${formatNumber(vendorAdds)} ms)`,
      measured ? clientAdds <= CLIENT_ADDS_TARGET_MS : undefined,
      limit,
    ),
  ];
  for (const flag of ["--version", "--help"]) {
    const value = median(pairwise(samples[`cli ${flag}`] ?? [], bareMs, ratio));
    const name = `\`geminidb-sessions ${flag}\` within ${CLI_RATIO_TARGET}× \`node -e 0\``;
    if (bin === undefined)
      targets.push(targetRow(name, "not measured", undefined, "the CLI is not built yet (no packages/cli/dist when this ran)"));
    else targets.push(targetRow(name, `${formatNumber(value, 2)}×`, value <= CLI_RATIO_TARGET));
  }

  const notMeasured = packages.filter((pkg) => !pkg.built).map((pkg) => `\`${pkg.manifest.name}\` (no dist built)`);
  return {
    title: "1. Cold start",
    method: [
      `A fresh \`node\` process per sample, timed from spawn to exit by the parent; ${rounds} rounds, every alternative once per round in rotating order, after one unmeasured start of each (disk cache).`,
      'Each package is imported through its built ESM entry (`exports["."].import`), the vendor SDK through its package entry (CommonJS, loaded by `import`). HOME points at a temp dir (the vendor SDK writes there).',
      "“adds” is the per-round difference from the same round's `node -e 0`, then the median; “÷” likewise a per-round ratio.",
    ],
    rows,
    notes: notMeasured.length > 0 ? [...notes, `Not measured: ${notMeasured.join(", ")}.`] : notes,
    targets,
  };
}
