// Runs before turbo in `pnpm build` (and test, typecheck, main, demo, bench):
// regenerates packages/*/src/generated/ only when the generator's inputs or the
// generated files no longer match scripts/generated-stamp.json, so that turbo
// hashes the generated files as they will be built (see DEVELOPERS.md, "Why
// generation runs before turbo"). Plain JavaScript so that the check costs a
// node start, not a tsx start: a cached build stays a cached build.
//
//   node scripts/generate-if-stale.mjs           regenerate if stale
//   node scripts/generate-if-stale.mjs --stamp   record the current state (pnpm generate does)
//   node scripts/generate-if-stale.mjs --check   exit 1 if the committed stamp is stale (pnpm generate:check does)
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const stampFile = "scripts/generated-stamp.json";
/** What `pnpm generate` reads: the spec, the generators, the JAR checksum and options. */
const inputs = [
  "spec/openapi.yaml",
  "scripts/generate.ts",
  "scripts/generators",
  "scripts/lib",
  "scripts/openapi-generator-cli.sha256",
  "openapitools.json",
];

/** Every file at or below a repository-relative path, sorted; none when it does not exist. */
function filesAt(rel) {
  let entries;
  try {
    entries = readdirSync(join(root, rel), { withFileTypes: true });
  } catch (error) {
    if (error.code === "ENOTDIR") return [rel];
    if (error.code === "ENOENT") return [];
    throw error;
  }
  return entries.flatMap((entry) => (entry.isDirectory() ? filesAt(`${rel}/${entry.name}`) : [`${rel}/${entry.name}`])).sort();
}

function digest(paths) {
  const hash = createHash("sha256");
  for (const path of paths) {
    const bytes = readFileSync(join(root, path));
    hash.update(`${path}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest("hex");
}

function current() {
  const generated = readdirSync(join(root, "packages"))
    .flatMap((name) => filesAt(`packages/${name}/src/generated`))
    .sort();
  return { inputs: digest(inputs.flatMap(filesAt)), outputs: digest(generated) };
}

function recorded() {
  try {
    return JSON.parse(readFileSync(join(root, stampFile), "utf8"));
  } catch {
    return undefined;
  }
}

const same = (a, b) => a !== undefined && a.inputs === b.inputs && a.outputs === b.outputs;
const writeStamp = (stamp) => writeFileSync(join(root, stampFile), `${JSON.stringify(stamp, null, 2)}\n`);

const mode = process.argv[2];
if (mode === "--stamp") {
  writeStamp(current());
} else if (mode === "--check") {
  if (!same(recorded(), current())) {
    process.stderr.write(
      `${stampFile} does not match the spec, the generators and src/generated/: run \`pnpm generate\` and commit the result.\n`,
    );
    process.exit(1);
  }
} else if (mode === undefined) {
  if (!same(recorded(), current())) {
    execFileSync(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "scripts/generate.ts")], {
      cwd: root,
      stdio: "inherit",
    });
    writeStamp(current());
  }
} else {
  process.stderr.write(`generate-if-stale: unknown option ${mode} (use --stamp or --check, or nothing)\n`);
  process.exit(2);
}
