import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { repoRoot } from "../lib/repo.js";

/** Where `scripts/release/install-go-tools.sh` puts the Go programs it installs. */
export const goToolsDir = join(repoRoot, ".cache/bin");

/** A program found on this machine, or why it is not there. */
export type FoundTool = { path: string; missing?: undefined } | { path?: undefined; missing: string };

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir !== "" && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** A Go program installed by install-go-tools.sh (preferred, it is pinned), else one on the PATH. */
export function findGoTool(name: "actionlint" | "oasdiff"): FoundTool {
  const pinned = join(goToolsDir, name);
  if (isExecutable(pinned)) return { path: pinned };
  const path = onPath(name);
  if (path !== undefined) return { path };
  return { missing: `${name} is not installed (run \`pnpm tools:go\`, which go-installs the pinned version into .cache/bin; it needs Go)` };
}

/** Debian's headless-capable Chromium (any `chromium` on the PATH). */
export function findChromium(): FoundTool {
  const path = onPath("chromium") ?? (isExecutable("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
  if (path !== undefined) return { path };
  return { missing: "chromium is not installed (apt-get install chromium; .ci/run does this)" };
}

/** Like findGoTool, but throws with the reason: for scripts, which cannot do their job without it. */
export function requireTool(found: FoundTool): string {
  if (found.path === undefined) throw new Error(found.missing);
  return found.path;
}
