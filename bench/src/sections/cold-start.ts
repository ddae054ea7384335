import { pathToFileURL } from "node:url";
import { cliBin, publishedPackages, resolveVendor, vendorHome, vendorServicePackage } from "../lib/paths.js";
import { formatNumber, type Row, row, type Section, type TargetCheck, targetRow } from "../lib/report.js";
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

export async function coldStartSection(rounds: number): Promise<Section> {
  const bare = coldStart("bare", ["-e", "0"]);
  const packages = publishedPackages();
  const imports = packages.flatMap((pkg) => (pkg.built && pkg.esmEntry ? [coldStart(pkg.manifest.name, importing(pkg.esmEntry))] : []));
  const vendor = coldStart(vendorServicePackage, importing(resolveVendor(vendorServicePackage)));
  const bin = cliBin();
  const cli = bin === undefined ? [] : [coldStart("cli --version", [bin, "--version"]), coldStart("cli --help", [bin, "--help"])];

  // One throwaway start of each first: the first spawn of a file pays the disk cache, which is no part of a cold start we can repeat.
  const alternatives = [bare, ...imports, vendor, ...cli];
  for (const alternative of alternatives) await alternative.sample();
  const samples = await interleave(alternatives, rounds);
  const bareMs = samples.bare ?? [];

  const rows: Row[] = [row("`node -e 0` (nothing imported)", "ms", bareMs)];
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
  const targets: TargetCheck[] = [
    targetRow(
      `the client adds ≤ ${CLIENT_ADDS_TARGET_MS} ms to a cold start`,
      `${formatNumber(clientAdds)} ms (vendor SDK: ${formatNumber(vendorAdds)} ms)`,
      measured ? clientAdds <= CLIENT_ADDS_TARGET_MS : undefined,
      measured ? undefined : "packages/client/dist is not built",
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
    notes: notMeasured.length > 0 ? [`Not measured: ${notMeasured.join(", ")}.`] : [],
    targets,
  };
}
