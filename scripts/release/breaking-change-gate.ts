/**
 * `pnpm spec:gate`: fails when spec/openapi.yaml breaks the last released spec and the
 * version it is about to be released as may not break (semver: a new major version,
 * or while 0.x a new minor version), or when a pending changeset is invalid.
 *
 *   pnpm spec:gate                          compare with the last release (git tag, else registry)
 *   pnpm spec:gate --base <file|git-ref>    compare with a given spec (released as its info.version)
 *   options: --from auto|git-tag|registry, --spec <file>, --changesets <dir>,
 *            --released <version> (the base's version), --version <version> (the packages' version now)
 *
 * Exit codes: 0 allowed, 1 refused (breaking without the bump it needs, or an invalid
 * changeset), 2 could not decide.
 */
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot, runMain, specPath } from "../lib/repo.js";
import {
  changesetProblems,
  judgeBreakingRelease,
  type PendingChangeset,
  pendingChangesets,
  type ReleaseVerdict,
  workspacePackages,
} from "./changesets.js";
import { type ChangeClass, classify, formatChanges, type SpecChange, specChanges, specVersion } from "./oasdiff.js";
import { type BaseSource, resolveBaseSpec } from "./released-spec.js";

export interface GateOptions {
  /** A spec file or git ref to compare with; default: the last release. */
  base?: string;
  from?: BaseSource;
  spec?: string;
  changesets?: string;
  /** The base's released version; default: its tag or registry version, else its info.version. */
  released?: string;
  /** The packages' version now; default: what packages/*\/package.json say. */
  version?: string;
  root?: string;
}

export interface GateResult {
  /** 0 allowed, 1 refused. */
  code: number;
  /** What the gate says, line by line. */
  lines: string[];
  changeClass: ChangeClass;
  changes: SpecChange[];
  /** Where the base came from, or undefined when nothing was released yet. */
  baseLabel?: string;
  /** Set when the change is breaking: whether the upcoming version may carry it. */
  verdict?: ReleaseVerdict;
  /** Invalid pending changesets (unknown package, unknown bump). */
  problems: string[];
}

/** Everything `pnpm spec:gate` decides, without printing: spec:diff's summary reuses it. */
export async function runGate(options: GateOptions = {}): Promise<GateResult> {
  const root = options.root ?? repoRoot;
  const specFile = resolve(options.spec ?? join(root, specPath));
  const lines: string[] = [];
  const workspace = await workspacePackages(root);
  const changesets: PendingChangeset[] = await pendingChangesets(resolve(options.changesets ?? join(root, ".changeset")));
  // Invalid changesets are refused whatever the spec change: `changeset version` would stop on them anyway.
  const problems = changesetProblems(changesets, workspace.names);
  if (problems.length > 0) {
    lines.push("FAIL: invalid changeset(s), as `changeset status` would say:", ...problems.map((p) => `  ${p}`));
  }
  const refused = problems.length > 0 ? 1 : 0;

  const base = await resolveBaseSpec(root, options.base, options.from ?? "auto");
  if (base === undefined) {
    lines.push("spec:gate: no released spec found (no git tag, nothing in the registry): nothing to compare.", "class: none");
    return { code: refused, lines, changeClass: "none", changes: [], problems };
  }
  let released: string | undefined;
  let changes: SpecChange[];
  try {
    released = options.released ?? base.version ?? (await specVersion(base.file));
    changes = await specChanges(base.file, specFile);
  } finally {
    await base.dispose();
  }
  const changeClass = classify(changes);
  lines.push(`spec:gate: ${specFile === join(root, specPath) ? specPath : specFile} against ${base.label}`);
  lines.push(...formatChanges(changes), `class: ${changeClass}`);
  if (changeClass !== "breaking") return { code: refused, lines, changeClass, changes, baseLabel: base.label, problems };

  const packagesVersion = options.version ?? workspace.version;
  if (released === undefined) throw new Error(`cannot tell which version ${base.label} was released as (give --released)`);
  if (packagesVersion === undefined) throw new Error("cannot tell the packages' version (give --version)");
  const verdict = judgeBreakingRelease(released, packagesVersion, changesets);
  lines.push(verdict.reason);
  return { code: verdict.allowed && refused === 0 ? 0 : 1, lines, changeClass, changes, baseLabel: base.label, verdict, problems };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      base: { type: "string" },
      from: { type: "string", default: "auto" },
      spec: { type: "string" },
      changesets: { type: "string" },
      released: { type: "string" },
      version: { type: "string" },
    },
  });
  const from = values.from as BaseSource;
  if (!["auto", "git-tag", "registry"].includes(from)) throw new Error(`--from must be auto, git-tag or registry, not ${from}`);
  // Bad versions are refused here, before any git, registry or oasdiff call.
  for (const option of ["released", "version"] as const) {
    const value = values[option];
    if (value !== undefined && !/^\d+\.\d+\.\d+(?:[-+].*)?$/.test(value)) {
      throw new Error(`--${option} must be a semver version (major.minor.patch), not "${value}"`);
    }
  }
  const result = await runGate({ ...values, from });
  for (const line of result.lines) process.stdout.write(`${line}\n`);
  return result.code;
}

runMain("spec:gate", main, 2, import.meta.url);
