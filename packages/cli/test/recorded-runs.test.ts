import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, it } from "vitest";
import { type RecordedRuns, recordedRunsFile, runKey } from "../src/recorded-runs.js";
import { commands } from "../src/run-cli.js";
import { binPath, fullCliPath } from "./support/paths.js";
import { type BinRun, runBin } from "./support/run-bin.js";
import { runInTerminal, terminalUnavailable } from "./support/run-in-terminal.js";

// The bin answers a few command lines with what the build recorded the CLI printing for
// them (src/recorded-runs.ts, tsup.config.ts), without loading the CLI or the client. Each
// must print exactly what the full CLI prints, and must really load nothing.

const recorded = JSON.parse(readFileSync(fileURLToPath(new URL(recordedRunsFile, pathToFileURL(binPath))), "utf8")) as RecordedRuns;
const commandLines = Object.keys(recorded.byArguments).map((key) => JSON.parse(key) as string[]);
const shown = (argv: readonly string[]) => (argv.length === 0 ? "(no arguments)" : argv.join(" "));
const cases = commandLines.map((argv) => [shown(argv), argv] as const);

const logDir = mkdtempSync(join(tmpdir(), "cli-imports-"));
afterAll(() => rmSync(logDir, { recursive: true, force: true }));
const logImports = fileURLToPath(new URL("./support/log-imports.mjs", import.meta.url));
let logs = 0;

/** A run of the bin with `argv`, and every module it resolved: the specifier, and the URL it resolved to. */
async function importsOf(argv: string[]): Promise<{ run: BinRun; modules: Array<{ specifier: string; url: string }> }> {
  const log = join(logDir, `${++logs}.jsonl`);
  const run = await runBin(argv, { nodeArgs: ["--import", logImports], env: { IMPORT_LOG: log } });
  const modules = readFileSync(log, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as { specifier: string; url: string });
  return { run, modules };
}

describe.concurrent("command lines the bin answers from the build's recorded runs", () => {
  it("are --version, --help, -h, help, every command's --help and -h, and a bare run", ({ expect }) => {
    const expected = [
      ["--version"],
      ["--help"],
      ["-h"],
      ["help"],
      ...commands.flatMap((command) => [
        [command.name, "--help"],
        [command.name, "-h"],
      ]),
      [],
    ];
    expect(Object.keys(recorded.byArguments).sort()).toEqual(expected.map(runKey).sort());
  });

  it.for(cases)(
    "%s prints byte for byte what the full CLI prints, with the same exit code (to pipes, and with 2>&1)",
    async ([, argv], { expect }) => {
      for (const merged of [false, true]) {
        const [fast, full] = await Promise.all([runBin([...argv], { merged }), runBin([...argv], { merged, script: fullCliPath() })]);
        expect(fast.stdout + fast.stderr).not.toBe("");
        expect(fast).toEqual(full);
      }
    },
  );

  // A few: the build already refuses to record a command line that prints differently on a
  // terminal, with NO_COLOR or at another width (tsup.config.ts); these check the real thing.
  const onTerminal = [["--help"], [commands.at(-1)?.name ?? "", "--help"], []].map((argv) => [shown(argv), argv] as const);
  it.skipIf(terminalUnavailable !== undefined).for(onTerminal)(
    "%s prints on a terminal, with and without NO_COLOR, what the full CLI prints there",
    async ([, argv], { expect }) => {
      for (const env of [{}, { NO_COLOR: "1" }]) {
        const [fast, full] = await Promise.all([runInTerminal([...argv], env), runInTerminal([...argv], env, undefined, fullCliPath())]);
        expect(fast.output).not.toBe("");
        expect(fast).toEqual(full);
      }
    },
  );

  it.for(cases)("%s loads neither the CLI nor the client: only the bin's own file and Node's modules", async ([, argv], { expect }) => {
    const { run, modules } = await importsOf([...argv]);
    expect(run.stdout + run.stderr).not.toBe("");
    expect(modules.filter(({ url }) => !url.startsWith("node:")).map(({ url }) => url)).toEqual([pathToFileURL(binPath).href]);
  });

  it("any other command line loads the CLI and the client (so the check above would see them)", async ({ expect }) => {
    const { modules } = await importsOf(["list-node-sessions"]);
    const specifiers = modules.map(({ specifier }) => specifier);
    expect(specifiers).toContain("@geminidb-sessions/client");
    expect(specifiers).toContain("@geminidb-sessions/validation");
    expect(modules.map(({ url }) => url)).toContain(pathToFileURL(fullCliPath()).href);
  });
});
