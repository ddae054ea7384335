import { execFile } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSpec, repoRoot } from "../lib/repo.js";
import { findChromium } from "../release/tools.js";

const run = promisify(execFile);
const docsFile = join(repoRoot, ".cache/docs/index.html");
const screenshotFile = join(repoRoot, ".cache/docs/screenshot.png");

const chromium = findChromium();
if (chromium.missing) process.stdout.write(`skipped: ${chromium.missing}\n`);

/** The flags DEVELOPERS.md documents: headless, no sandbox (root in CI), nothing reaching out. */
const chromiumFlags = (profile: string) => [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  `--user-data-dir=${profile}`,
  // Redoc renders in the browser: give its scripts time to hydrate before the dump or the picture.
  "--virtual-time-budget=8000",
];

/** What a reader can see: the DOM's text without scripts (the page embeds the whole spec in one) and styles. */
function visibleText(dom: string): string {
  return dom
    .replace(/<script[\s\S]*?<\/script>/gi, " ")
    .replace(/<style[\s\S]*?<\/style>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-");

interface Operation {
  operationId: string;
  summary: string;
  tags: string[];
  security: Array<Record<string, string[]>>;
}

describe.skipIf(chromium.path === undefined)("pnpm docs:build, rendered in headless Chromium", () => {
  let profile: string;
  let operation: Operation;
  let path: string;
  let catalogCodes: string[];
  let operationText: string;
  let overviewText: string;

  beforeAll(async () => {
    const { document } = await loadSpec();
    const paths = document.paths as Record<string, Record<string, Operation>>;
    [path] = Object.keys(paths) as [string];
    operation = paths[path]?.delete as Operation;
    catalogCodes = Object.keys(document["x-error-catalog"] as Record<string, unknown>);

    await run(process.execPath, [join(repoRoot, "node_modules/tsx/dist/cli.mjs"), "scripts/release/build-docs.ts"], { cwd: repoRoot });
    profile = await mkdtemp(join(tmpdir(), "docs-chromium-"));
    const browser = chromium.path as string;
    const page = pathToFileURL(docsFile).href;
    const textAt = async (route: string) => {
      const { stdout } = await run(browser, [...chromiumFlags(profile), "--window-size=1280,4000", "--dump-dom", `${page}#${route}`], {
        maxBuffer: 64 * 1024 * 1024,
      });
      return visibleText(stdout);
    };
    // Redoc gives each operation a route, #/<tag>/<operationId>; the overview (with the
    // error-code table the docs build adds) is #/.
    const operationRoute = `/${slug(operation.tags[0] ?? "")}/${operation.operationId.toLowerCase()}`;
    operationText = await textAt(operationRoute);
    overviewText = await textAt("/");
    await run(browser, [
      ...chromiumFlags(profile),
      "--window-size=1280,1600",
      `--screenshot=${screenshotFile}`,
      `${page}#${operationRoute}`,
    ]);
  }, 180_000);

  afterAll(async () => {
    if (profile !== undefined) await rm(profile, { recursive: true, force: true });
  });

  it("shows the operation: its summary and its path", () => {
    expect(operationText).toContain(operation.summary);
    expect(operationText).toContain(path);
  });

  it("shows both auth schemes the operation accepts", () => {
    const schemes = operation.security.flatMap((requirement) => Object.keys(requirement));
    expect(schemes).toEqual(expect.arrayContaining(["iamToken", "akskSignature"]));
    for (const scheme of schemes) expect(operationText, scheme).toContain(scheme);
  });

  it("shows every code of the error catalog on the overview", () => {
    expect(catalogCodes.length).toBeGreaterThan(5);
    const missing = catalogCodes.filter((code) => !overviewText.includes(code));
    expect(missing).toEqual([]);
  });

  it("saves a screenshot of the operation page", async () => {
    expect((await stat(screenshotFile)).size).toBeGreaterThan(10_000);
  });
});
