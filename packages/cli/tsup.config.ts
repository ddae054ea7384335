import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { defineConfig, type Options } from "tsup";
import { packageBuild } from "../../tsup.base.js";
import type { CliIo, CliOutput } from "./src/index.js";
import { type RecordedRun, type RecordedRuns, recordedRunsFile, runKey } from "./src/recorded-runs.js";

// The library (src/index.ts) and the bin (src/bin.ts, shebang kept); types for the library only.
// Splitting keeps what bin.ts imports lazily (run-bin.ts: the CLI and the client) in chunks of its
// own, so what the bin answers from the recorded runs loads none of them. Shims give bin.cjs an
// `import.meta.url` (the recorded runs' file is found next to the bin).
const build = packageBuild({
  entry: ["src/index.ts", "src/bin.ts"],
  dts: { entry: "src/index.ts" },
  platform: "node",
  splitting: true,
  shims: true,
});

export default defineConfig((cliOptions: Options): Options => {
  const options = build(cliOptions);
  const { onSuccess } = options;
  if (typeof onSuccess === "string") throw new Error("tsup.config.ts: onSuccess must be a function");
  // tsup's --out-dir (the tests' build, test/global-setup.ts) wins over the configured one.
  const outDir = resolve(cliOptions.outDir ?? options.outDir ?? "dist");
  return {
    ...options,
    async onSuccess() {
      const cleanup = await onSuccess?.();
      await recordRuns(outDir);
      return cleanup;
    },
  };
});

/**
 * The command lines the bin answers from the recorded runs: `--version`, the command list
 * (`--help`, `-h`, `help`), each command's help (`--help`, `-h`), and a bare run (a usage
 * error that lists the commands).
 */
const recordedCommandLines = (commandNames: readonly string[]): string[][] => [
  ["--version"],
  ["--help"],
  ["-h"],
  ["help"],
  ...commandNames.flatMap((name) => [
    [name, "--help"],
    [name, "-h"],
  ]),
  [],
];

/**
 * Where the CLI is run for each command line: it may print only what depends on the
 * arguments alone, since the bin replays the run anywhere, so each run must print the
 * same in all of them (colors, NO_COLOR, terminal width, `2>&1`).
 */
const surroundings: ReadonlyArray<{ name: string; tty: boolean; columns?: number; env: Record<string, string>; sameOutput: boolean }> = [
  { name: "a pipe", tty: false, env: {}, sameOutput: false },
  { name: "a terminal", tty: true, columns: 80, env: { TERM: "xterm-256color" }, sameOutput: true },
  { name: "a wide terminal with NO_COLOR set", tty: true, columns: 250, env: { TERM: "xterm-256color", NO_COLOR: "1" }, sameOutput: false },
  { name: "a dumb terminal", tty: true, columns: 40, env: { TERM: "dumb" }, sameOutput: false },
];

/**
 * Runs the CLI just built in `outDir` (its `runCli`, as the bin runs it) on each recorded
 * command line, and writes what it printed to `outDir/recorded-runs.json`. Needs the
 * client's, core's and validation's builds, which the CLI loads: this package's build
 * runs after theirs (packages/cli/turbo.json).
 */
async function recordRuns(outDir: string): Promise<void> {
  const entry = pathToFileURL(join(outDir, "index.js"));
  // A fresh copy on each build in watch mode (imports are cached by URL).
  entry.search = `?build=${Date.now()}`;
  let cli: typeof import("./src/index.js");
  try {
    cli = (await import(entry.href)) as typeof import("./src/index.js");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `recording the bin's runs loads the CLI just built, and the client's, core's and validation's builds with it: run \`pnpm build\` at the root (${message})`,
    );
  }
  const { commands, runCli } = cli;

  const runOnce = async (argv: string[], where: (typeof surroundings)[number]): Promise<RecordedRun> => {
    const writes: RecordedRun["writes"] = [];
    const output = (fd: 1 | 2) =>
      ({
        isTTY: where.tty,
        columns: where.columns,
        write(chunk: string | Uint8Array) {
          writes.push([fd, typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8")]);
          return true;
        },
      }) as unknown as CliOutput;
    const io: CliIo = {
      stdin: Object.assign(Readable.from([]), { isTTY: where.tty }),
      stdout: output(1),
      stderr: output(2),
      env: where.env,
      sameOutput: where.sameOutput,
    };
    const code = await runCli(argv, io);
    return { writes, code };
  };

  const recorded: RecordedRuns = { runs: [], byArguments: {} };
  const seen = new Map<string, number>();
  for (const argv of recordedCommandLines(commands.map((command) => command.name))) {
    const [first, ...others] = await Promise.all(surroundings.map((where) => runOnce(argv, where)));
    const text = JSON.stringify(first);
    others.forEach((run, index) => {
      if (JSON.stringify(run) !== text) {
        throw new Error(
          `geminidb-sessions ${argv.join(" ")} prints differently in ${surroundings[index + 1]?.name} than in ${surroundings[0]?.name}, ` +
            "so the bin cannot replay what the build recorded: drop that command line from recordedCommandLines (tsup.config.ts)",
        );
      }
    });
    let index = seen.get(text);
    if (index === undefined) {
      index = recorded.runs.push(first as RecordedRun) - 1;
      seen.set(text, index);
    }
    recorded.byArguments[runKey(argv)] = index;
  }
  writeFileSync(join(outDir, recordedRunsFile), `${JSON.stringify(recorded)}\n`);
}
