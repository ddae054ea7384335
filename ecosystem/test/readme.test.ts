import { describe, expect, it } from "vitest";
import { blockUpdate, end, type RuntimeOutcome, start, tableHeader } from "../src/readme.js";
import { parseResult } from "../src/runtimes.js";

const passed = (flavour: string, step = "a: close with a token") => ({ step, flavour, outcome: "passed" as const });
const node: RuntimeOutcome = { id: "node-esm", label: "Node.js 20, ES modules", seconds: 1, steps: [passed("client"), passed("cli")] };
const deno: RuntimeOutcome = {
  id: "deno",
  label: "Deno 2.9.6",
  seconds: 1,
  steps: [passed("client"), { ...passed("typescript-fetch"), outcome: "failed" }],
};
const chromium: RuntimeOutcome = { id: "chromium", label: "headless Chromium", seconds: 0, skipped: "no chromium", steps: [] };
const readme = (body: string, name = "runtimes") => `# x\n\n${start(name)}\n${body}\n${end(name)}\n\nmore\n`;

describe("README runtime tables", () => {
  it("writes a row per runtime from its steps: yes, fails, or empty where it is not meant to run", () => {
    const update = blockUpdate(readme(""), { name: "runtimes" }, [node, deno]);
    expect(update?.wanted.split("\n")).toEqual([
      ...tableHeader(),
      "| Node.js 20, ES modules | yes |  | yes |  |  |",
      "| Deno 2.9.6 | yes | fails |  |  |  |",
    ]);
    expect(update?.rewrite()).toContain(`${start("runtimes")}\n| runtime |`);
    expect(update?.rewrite()).toMatch(/\| Deno 2\.9\.6 \| yes \| fails \|.*\n<!-- \/ecosystem:runtimes -->\n\nmore\n$/);
  });

  it("keeps the committed row of a runtime skipped here, and reports any other difference", () => {
    const committed = [
      ...tableHeader(),
      "| Node.js 20, ES modules | yes | yes | yes |  |  |",
      "| headless Chromium | yes | yes |  |  |  |",
    ].join("\n");
    const update = blockUpdate(readme(committed), { name: "runtimes" }, [node, chromium]);
    expect(update?.compare).toBe(true);
    expect(update?.wanted).toContain("| headless Chromium | yes | yes |  |  |  |");
    // The committed Node row claims typescript-fetch, which this run did not prove.
    expect(update?.wanted).not.toBe(update?.current);
    expect(update?.wanted).toContain("| Node.js 20, ES modules | yes |  | yes |  |  |");
  });

  it("writes a skipped row for a runtime skipped here that the README never listed, and notes skipped steps", () => {
    const step = { step: "e: list", flavour: "client", outcome: "skipped" as const, detail: "skipped: not yet" };
    const update = blockUpdate(readme(""), { name: "runtimes" }, [{ ...node, steps: [...node.steps, step] }, chromium]);
    expect(update?.wanted).toContain("| headless Chromium | skipped: no chromium | | | | |");
    expect(update?.wanted).toMatch(/\n\nSkipped steps, each with the reason the suite prints: e: list \(skipped: not yet\)\.$/);
  });

  it("lists in a package's line the runtimes where all its steps passed, compared only when every runtime ran", () => {
    const line = blockUpdate(readme("old", "client"), { name: "client", flavour: "client" }, [node, deno]);
    expect(line?.wanted).toBe("Tested from the packed package on every CI run (`ecosystem/`): Node.js 20, ES modules; Deno 2.9.6.");
    const tsFetch = blockUpdate(readme("old", "typescript-fetch"), { name: "typescript-fetch", flavour: "typescript-fetch" }, [node, deno]);
    expect(tsFetch?.wanted).toBe("Tested from the packed package on every CI run (`ecosystem/`): none yet.");
    expect(blockUpdate(readme("old", "client"), { name: "client", flavour: "client" }, [node, chromium])?.compare).toBe(false);
    expect(blockUpdate("no markers", { name: "client", flavour: "client" }, [node])).toBeUndefined();
  });
});

describe("a runtime's output", () => {
  it("is read from its result line only when the program exited 0", () => {
    const line = `ECOSYSTEM_RESULT ${JSON.stringify([passed("client")])}`;
    expect(parseResult("node", { code: 0, stdout: `noise\n${line}\n`, stderr: "" })).toEqual([passed("client")]);
    const failed = parseResult("node", {
      code: 1,
      stdout: `${line}\n`,
      stderr: 'Error [ERR_PACKAGE_PATH_NOT_EXPORTED]: No "exports" main defined',
    });
    expect(failed).toEqual([
      { step: "run", flavour: "node", outcome: "failed", detail: expect.stringContaining("ERR_PACKAGE_PATH_NOT_EXPORTED") },
    ]);
    expect(parseResult("node", { code: 0, stdout: "no result line", stderr: "" })[0]?.outcome).toBe("failed");
  });
});
