import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { isRedisServerInstalled } from "@geminidb-sessions/emulator";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./support/paths.js";

const run = promisify(execFile);

describe("scripts/demo.ts (pnpm demo, the end of pnpm main)", () => {
  it("starts the emulator, closes the demo instance's sessions with the built bin, shows 0 on every node, and exits 0", async () => {
    const tsx = join(repoRoot, "node_modules/tsx/dist/cli.mjs");
    const { stdout } = await run(process.execPath, [tsx, "scripts/demo.ts"], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" },
    });
    expect(stdout).toContain(isRedisServerInstalled() ? "Nodes: real redis-server processes" : "Nodes: in memory");
    const [before = "", after = ""] = stdout.split(/\nAfter \(geminidb-sessions exited with 0\):\n/);
    const counts = (text: string) => [...text.matchAll(/^ {2}node \S+ +(\d+) sessions/gm)].map((match) => Number(match[1]));
    expect(counts(before)).toHaveLength(3);
    expect(counts(before).every((count) => count > 0)).toBe(true);
    expect(counts(after)).toEqual([0, 0, 0]);
    expect(stdout).toMatch(/\$ geminidb-sessions close --instance-id \S+ --project-id \S+ --endpoint http:\/\/127\.0\.0\.1:\d+ --yes\n/);
    expect(stdout).toContain("Every node has 0 sessions: done.");
    expect(stdout).toContain("Emulator stopped.");
  });
});
