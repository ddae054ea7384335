import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Message } from "esbuild";
import { benchDir, vendorDir } from "../lib/paths.js";
import { formatBytes, type Row, row, type Section, type TargetCheck, targetRow } from "../lib/report.js";

const BUNDLE_TARGET_BYTES = 8_000;

type Outcome =
  | { ok: true; minified: number; gzip: number; byPackage: Map<string, number>; byFile: Map<string, number> }
  | { ok: false; errors: Message[] };

/** `…/packages/validation/dist/index.js` → `validation/dist/index.js`, `…/node_modules/openapi-fetch/dist/index.js` → `openapi-fetch/dist/index.js`. */
function shortFile(input: string): string {
  return input.replace(/^.*node_modules\//, "").replace(/^.*packages\//, "");
}

/** `packages/core/dist/…` → `@geminidb-sessions/core`, `node_modules/.pnpm/…/node_modules/openapi-fetch/…` → `openapi-fetch`. */
function packageOf(input: string): string {
  const ours = /(?:^|\/)packages\/([^/]+)\//.exec(input);
  if (ours) return `@geminidb-sessions/${ours[1]}`;
  const theirs = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  return theirs?.[1] ?? "the program itself";
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
        byPackage.set(packageOf(input), (byPackage.get(packageOf(input)) ?? 0) + bytesInOutput);
        byFile.set(shortFile(input), bytesInOutput);
      }
    }
    return { ok: true, minified: code.length, gzip: gzipSync(code, { level: 9 }).length, byPackage, byFile };
  } catch (error) {
    return { ok: false, errors: (error as { errors?: Message[] }).errors ?? [] };
  }
}

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
  const limit =
    `what every call needs, not the operations: minified, ${clientParts}. ` +
    "Core brings the transport (per-attempt timeouts, retries, Retry-After, bounded body reads), the typed errors with the catalog's meaning and remedy of every code, redaction, the option checks and both credential kinds with the AK/SK signer (a bundler cannot tell which kind a program passes); validation the message builder that words every problem, the regions and this operation's validators";
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
    ],
    rows,
    notes,
    targets,
  };
}
