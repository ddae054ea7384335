import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../lib/repo.js";
import { findGoTool } from "../release/tools.js";
import { scratchRepo } from "./scratch-repo.js";

const run = promisify(execFile);

const oasdiff = findGoTool("oasdiff");
if (oasdiff.missing) process.stdout.write(`skipped: ${oasdiff.missing}\n`);

/** A new optional request header, added to the operation's path-level parameters. */
const optionalHeader = `      - name: X-Client-Trace
        in: header
        required: false
        description: A caller-chosen trace ID, echoed in logs.
        schema:
          type: string
          maxLength: 64
`;

describe.skipIf(oasdiff.path === undefined)("pnpm spec:diff <git-ref>", () => {
  let dir: string;
  let remove: () => Promise<void>;
  let output: string;

  beforeAll(async () => {
    ({ dir, remove } = await scratchRepo("spec-diff-"));
    const git = (args: string[]) =>
      run("git", ["-c", "user.name=spec-diff-test", "-c", "user.email=spec-diff-test@localhost", "-c", "commit.gpgsign=false", ...args], {
        cwd: dir,
      });
    // HEAD of the scratch repository: the spec and the generated code as they are now.
    await git(["init", "--quiet"]);
    await git(["add", "spec", ":(glob)packages/*/src/generated/**"]);
    await git(["commit", "--quiet", "--message", "base"]);

    const spec = join(dir, "spec/openapi.yaml");
    const text = await readFile(spec, "utf8");
    const anchor = "      - $ref: '#/components/parameters/InstanceId'\n";
    expect(text).toContain(anchor);
    await writeFile(spec, text.replace(anchor, `${anchor}${optionalHeader}`));

    const { stdout } = await run(
      process.execPath,
      [join(repoRoot, "node_modules/tsx/dist/cli.mjs"), "scripts/release/spec-diff.ts", "HEAD"],
      {
        cwd: dir,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    output = stdout;
  }, 300_000);
  afterAll(() => remove());

  it("summarizes the spec change and classifies it", () => {
    expect(output).toContain("Spec changes: spec/openapi.yaml at HEAD → working tree");
    expect(output).toMatch(/\[new-optional-request-parameter\] added the new optional `header` request parameter `x-client-trace`/);
    expect(output).toContain("Breaking-change class: non-breaking");
  });

  it("shows the stat of the generated code the change causes", () => {
    const stat = output.split("Generated code")[1] ?? "";
    expect(stat).toContain("packages/client/src/generated/schema.ts");
    expect(stat).toMatch(/\d+ files? changed/);
  });
});
