/**
 * `pnpm spec:gate`: fails when spec/openapi.yaml breaks the last released spec and no
 * pending changeset releases a major version.
 *
 *   pnpm spec:gate                          compare with the last release (git tag, else registry)
 *   pnpm spec:gate --base <file|git-ref>    compare with a given spec
 *   options: --from auto|git-tag|registry, --spec <file>, --changesets <dir>
 *
 * Exit codes: 0 allowed, 1 breaking without a major changeset, 2 could not decide.
 */
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot, specPath } from "../lib/repo.js";
import { majorChangesets, pendingChangesets } from "./changesets.js";
import { classify, formatChanges, specChanges } from "./oasdiff.js";
import { type BaseSource, resolveBaseSpec } from "./released-spec.js";

const say = (line = "") => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      base: { type: "string" },
      from: { type: "string", default: "auto" },
      spec: { type: "string", default: join(repoRoot, specPath) },
      changesets: { type: "string", default: join(repoRoot, ".changeset") },
    },
  });
  const from = values.from as BaseSource;
  if (!["auto", "git-tag", "registry"].includes(from)) throw new Error(`--from must be auto, git-tag or registry, not ${from}`);

  const base = await resolveBaseSpec(repoRoot, values.base, from);
  if (base === undefined) {
    say("spec:gate: no released spec found (no git tag, nothing in the registry): nothing to compare.");
    say("class: none");
    return 0;
  }
  const changes = await specChanges(base.file, resolve(values.spec)).finally(() => base.dispose());
  const changeClass = classify(changes);
  say(`spec:gate: ${values.spec === join(repoRoot, specPath) ? specPath : values.spec} against ${base.label}`);
  for (const line of formatChanges(changes)) say(line);
  say(`class: ${changeClass}`);
  if (changeClass !== "breaking") return 0;

  const majors = majorChangesets(await pendingChangesets(resolve(values.changesets)));
  if (majors.length > 0) {
    say(`allowed: a major release is pending (${majors.map((c) => c.file).join(", ")}).`);
    return 0;
  }
  say("FAIL: this is a breaking change, and no pending changeset releases a major version.");
  say("Either make the change compatible, or run `pnpm changeset` and choose `major` for the @geminidb-sessions packages.");
  return 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`spec:gate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
