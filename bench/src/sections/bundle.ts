import { existsSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Message, type Plugin } from "esbuild";
import { benchDir, packageOf, vendorDir } from "../lib/paths.js";
import { exactBytes, formatBytes, type Row, row, type Section, type TargetCheck, targetRow } from "../lib/report.js";

const BUNDLE_TARGET_BYTES = 8_000;

type Outcome =
  | { ok: true; minified: number; gzip: number; byPackage: Map<string, number>; byFile: Map<string, number> }
  | { ok: false; errors: Message[] };

/** `…/packages/validation/dist/index.js` → `validation/dist/index.js`, `…/node_modules/openapi-fetch/dist/index.js` → `openapi-fetch/dist/index.js`. */
function shortFile(input: string): string {
  return input.replace(/^.*node_modules\//, "").replace(/^.*packages\//, "");
}

/** Minified, tree-shaken ESM for the browser (or Node), and its gzip -9 size. */
async function bundle(entry: string, platform: "browser" | "node"): Promise<Outcome> {
  try {
    const result = await build({
      entryPoints: [join(benchDir, "bundle-entries", entry)],
      bundle: true,
      minify: true,
      format: "esm",
      platform,
      target: "es2022",
      write: false,
      logLevel: "silent",
      // The vendor SDK is installed in its own npm project, not in the workspace.
      nodePaths: [join(vendorDir, "node_modules")],
      metafile: true,
    });
    const code = result.outputFiles[0]?.contents ?? new Uint8Array();
    const byPackage = new Map<string, number>();
    const byFile = new Map<string, number>();
    for (const output of Object.values(result.metafile.outputs)) {
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
        const owner = packageOf(input, "the program itself");
        byPackage.set(owner, (byPackage.get(owner) ?? 0) + bytesInOutput);
        byFile.set(shortFile(input), bytesInOutput);
      }
    }
    return { ok: true, minified: code.length, gzip: gzipSync(code, { level: 9 }).length, byPackage, byFile };
  } catch (error) {
    return { ok: false, errors: (error as { errors?: Message[] }).errors ?? [] };
  }
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/**
 * The source index each character of `code` came from (-1: none), read from its source map's
 * `mappings` (base64 VLQ: a segment's generated column, then source index, line and column,
 * each relative to the previous segment's; a character belongs to the segment that starts at or
 * before it on its line).
 */
export function sourceOfEachChar(code: string, mappings: string): Int32Array {
  const owner = new Int32Array(code.length).fill(-1);
  const lines = code.split("\n");
  let lineStart = 0;
  let source = 0;
  mappings.split(";").forEach((segments, index) => {
    const line = lines[index] ?? "";
    let column = 0;
    const starts: Array<[number, number]> = [];
    for (const segment of segments === "" ? [] : segments.split(",")) {
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const char of segment) {
        const digit = BASE64.indexOf(char);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0] ?? 0;
      if (fields.length > 1) source += fields[1] ?? 0;
      starts.push([column, fields.length > 1 ? source : -1]);
    }
    starts.forEach(([start, from], i) => {
      owner.fill(from, lineStart + start, lineStart + (starts[i + 1]?.[0] ?? line.length));
    });
    lineStart += line.length + 1;
  });
  return owner;
}

/** Resolves our packages as usual (their `exports`), then takes the source module their `dist/` file was built from. */
const fromSources: Plugin = {
  name: "workspace-sources",
  setup(plugin) {
    plugin.onResolve({ filter: /^@geminidb-sessions\// }, async (args) => {
      if (args.pluginData === "resolving") return undefined;
      const built = await plugin.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: "resolving",
      });
      const source = built.path.replace(/\/dist\/(.+)\.c?js$/, "/src/$1.ts");
      return { path: existsSync(source) ? source : built.path };
    });
  },
};

/** What one source module costs: the gzip bytes the bundle loses without its code, and its minified bytes. */
interface ModuleCost {
  module: string;
  gzip: number;
  minified: number;
}

/**
 * The smallest client program bundled from the workspace's sources (same options), and each source
 * module's marginal cost: gzip -9 of the bundle, less gzip -9 of the bundle with that module's
 * characters (by the source map) left out. Gzip sizes do not add up, so the costs sum to a little
 * less than the whole. `without` is the gzip size with every module `leaveOut` accepts left out.
 */
async function moduleCosts(
  entry: string,
  leaveOut: (module: string) => boolean,
): Promise<{ gzip: number; costs: ModuleCost[]; without: number }> {
  const result = await build({
    entryPoints: [join(benchDir, "bundle-entries", entry)],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
    sourcemap: "external",
    outfile: join(benchDir, "bundle.js"),
    plugins: [fromSources],
  });
  const code = result.outputFiles.find((file) => file.path.endsWith(".js"))?.text ?? "";
  const map = JSON.parse(result.outputFiles.find((file) => file.path.endsWith(".map"))?.text ?? "{}") as {
    sources: string[];
    mappings: string;
  };
  const owner = sourceOfEachChar(code, map.mappings);
  const gzip = gzipSync(code, { level: 9 }).length;
  const names = map.sources.map((source) => shortFile(source).replace(/^(?:\.\.\/)+/, ""));
  const gzipWithout = (drop: (index: number) => boolean) => {
    let kept = "";
    for (let i = 0; i < code.length; i++) if (!drop(owner[i] as number)) kept += code[i];
    return gzipSync(kept, { level: 9 }).length;
  };
  const costs = names.map((module, index) => ({
    module,
    gzip: gzip - gzipWithout((from) => from === index),
    minified: owner.filter((from) => from === index).length,
  }));
  const dropped = new Set(names.flatMap((module, index) => (leaveOut(module) ? [index] : [])));
  return { gzip, costs: costs.sort((a, b) => b.gzip - a.gzip), without: gzipWithout((from) => dropped.has(from)) };
}

/** Core's modules only an AK/SK credential runs: a token program carries them because the kind is a run-time value. */
const AKSK_ONLY = /^core\/src\/(?:signer|canonical|crypto|signing-profile)\.ts$/;

const flavors = [
  { entry: "client-bare.ts", name: "`@geminidb-sessions/client`, `createBareSessionsClient` + `closeInstanceSessions`" },
  { entry: "client.ts", name: "`@geminidb-sessions/client`, `createSessionsClient`" },
  { entry: "typescript-fetch.ts", name: "`@geminidb-sessions/typescript-fetch`" },
  { entry: "vendor-sdk.js", name: "vendor SDK (AK/SK)" },
  { entry: "raw-fetch.ts", name: "raw `fetch` (the floor)" },
] as const;

export async function bundleSection(): Promise<Section> {
  const rows: Row[] = [];
  const notes: string[] = [];
  let clientGzip = Number.NaN;
  let clientParts = "";
  for (const flavor of flavors) {
    const browser = await bundle(flavor.entry, "browser");
    if (browser.ok) {
      if (flavor.entry === "client-bare.ts") {
        clientGzip = browser.gzip;
        clientParts = [...browser.byPackage]
          .sort((a, b) => b[1] - a[1])
          .map(([name, bytes]) => `${name} ${formatBytes(bytes)}`)
          .join(", ");
        notes.push(`What the smallest client program holds (minified bytes by package): ${clientParts}.`);
        const files = [...browser.byFile].sort((a, b) => b[1] - a[1]).slice(0, 8);
        notes.push(
          `Its largest input files (minified bytes in the bundle): ${files.map(([file, bytes]) => `\`${file}\` ${formatBytes(bytes)}`).join(", ")}.`,
        );
      }
      rows.push(
        row(`${flavor.name}: browser bundle, min+gzip`, "KiB", [browser.gzip / 1024]),
        row("… minified", "KiB", [browser.minified / 1024]),
      );
      continue;
    }
    const first = browser.errors.slice(0, 3).map((error) => `“${error.text}”`);
    const node = await bundle(flavor.entry, "node");
    notes.push(
      `${flavor.name} does not bundle for the browser: esbuild reports ${browser.errors.length} errors (${first.join(", ")}…); it needs Node.js built-ins.` +
        (node.ok
          ? ` Bundled for Node instead (platform=node), it is ${formatBytes(node.gzip)} min+gzip (${formatBytes(node.minified)} minified).`
          : ""),
    );
    if (node.ok) rows.push(row(`${flavor.name}: **Node** bundle (no browser build possible), min+gzip`, "KiB", [node.gzip / 1024]));
  }
  const measured = Number.isFinite(clientGzip);
  const sources = await moduleCosts("client-bare.ts", (module) => AKSK_ONLY.test(module));
  const top = sources.costs.slice(0, 12);
  const rest = sources.costs.slice(12);
  const akSk = sources.costs.filter((cost) => AKSK_ONLY.test(cost.module));
  notes.push(
    `What each source module costs the smallest client program (the same program bundled from the workspace's sources with a source map, ${exactBytes(sources.gzip)} min+gzip; a module's cost is the gzip bytes the bundle loses without its code): ` +
      `${top.map((cost) => `\`${cost.module}\` ${exactBytes(cost.gzip)} (minified ${exactBytes(cost.minified)})`).join(", ")}; ` +
      `the other ${rest.length} modules ${exactBytes(rest.reduce((sum, cost) => sum + cost.gzip, 0))} together.`,
  );
  const costliest = sources.costs.slice(0, 6);
  const limit =
    `code every call runs, measured module by module (notes above): ${costliest.map((cost) => `\`${cost.module}\` ${exactBytes(cost.gzip)}`).join(", ")}, the code behind what the README promises of every call (timeouts, retries, bounded reads, typed errors with meaning and remedy, redaction, checks whose messages name field and rule). ` +
    `The AK/SK signer's modules (${akSk.map((cost) => `\`${cost.module}\``).join(", ")}) cost ${exactBytes(akSk.reduce((sum, cost) => sum + cost.gzip, 0))} in a token program that never signs (a bundler cannot tell which credential kind a program passes); ` +
    `without them the bundle would be ${exactBytes(sources.without)}` +
    (sources.without > BUNDLE_TARGET_BYTES ? ": reaching 8,000 B means dropping guarantees, not only code a program does not run" : "");
  const targets: TargetCheck[] = [
    targetRow(
      "client browser bundle of the smallest close program ≤ 8 KB (8,000 bytes) min+gzip",
      measured ? `${formatBytes(clientGzip)} (${clientGzip.toLocaleString("en-US")} bytes)` : "not measured",
      measured ? clientGzip <= BUNDLE_TARGET_BYTES : undefined,
      clientGzip > BUNDLE_TARGET_BYTES ? limit : undefined,
    ),
  ];
  return {
    title: "2b. Weight: browser bundle of a minimal program",
    method: [
      "Each flavor's smallest `closeInstanceSessions` program (bench/bundle-entries/) bundled by esbuild: ESM, `platform: browser`, es2022, minified and tree-shaken; gzip -9. Sizes are deterministic: runs = 1.",
      "The client has two: its operation functions on a bare client (the smallest, which the target row takes) and `createSessionsClient`, whose methods, `raw` and middleware need every operation and openapi-fetch.",
      "What each module costs: the smallest client program bundled again from the workspace's sources with a source map; each character of the bundle is put on the module the map names, and a module's cost is the gzip size of the whole less that of the bundle without its characters.",
    ],
    rows,
    notes,
    targets,
  };
}
