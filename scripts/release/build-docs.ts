/**
 * `pnpm docs:build`: builds the API reference reviewers read, from spec/openapi.yaml, into
 * one self-contained HTML file (Redoc inlined, no CDN, no telemetry), by default
 * `.cache/docs/index.html`. Options: `--out <file>`, `--spec <file>` (another spec, for
 * the docs test's fixtures; default spec/openapi.yaml).
 *
 * Open it in a browser; the operation is at
 * `index.html#/connection-management/closeinstancesessions`.
 */
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot, run, specPath } from "../lib/repo.js";

const defaultDocsFile = join(repoRoot, ".cache/docs/index.html");

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { out: { type: "string", default: defaultDocsFile }, spec: { type: "string", default: join(repoRoot, specPath) } },
  });
  const out = resolve(values.out);
  await mkdir(dirname(out), { recursive: true });
  await run(
    join(repoRoot, "node_modules/.bin/redocly"),
    [
      "build-docs",
      resolve(values.spec),
      "--inlineBundle",
      "--config",
      join(repoRoot, "scripts/release/docs/redocly-docs.yaml"),
      "--output",
      out,
    ],
    // Off at build time also turns Redoc's in-page telemetry off for readers.
    { cwd: repoRoot, env: { ...process.env, REDOCLY_TELEMETRY: "off" }, maxBuffer: 16 * 1024 * 1024 },
  );
  // --inlineBundle is what makes the page work offline; fail loudly if a script still comes from elsewhere.
  const html = await readFile(out, "utf8");
  const remote = /<script[^>]*\ssrc=["']https?:/i.exec(html);
  if (remote) throw new Error(`${out} loads a remote script: ${remote[0]}`);
  process.stdout.write(`docs: wrote ${relative(process.cwd(), out) || out}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`docs: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
