import { type Command, helpFooter, optionsOf, writeJson } from "./command.js";
import { commonOptions, findCommand, parseCommandArgs, renderHelp } from "./command-line.js";
import { closeIdleSessions } from "./commands/close-idle-sessions.js";
import { closeInstanceSessions } from "./commands/close-instance-sessions.js";
import { closeNodeSessions } from "./commands/close-node-sessions.js";
import { getNodeSessionStatistics } from "./commands/get-node-session-statistics.js";
import { listInstanceSessions } from "./commands/list-instance-sessions.js";
import { listNodeSessions } from "./commands/list-node-sessions.js";
import { buildReport, exitCodes, UsageError } from "./results.js";
import { cliVersion } from "./setup.js";
import type { CliIo } from "./terminal.js";
import { closest, maskSecrets } from "./text.js";

/** Every command, in the order an operator meets them: look first, then close. */
export const commands: readonly Command[] = [
  listInstanceSessions,
  listNodeSessions,
  getNodeSessionStatistics,
  closeIdleSessions,
  closeNodeSessions,
  closeInstanceSessions,
];

const commandNames = commands.map((command) => command.name);

/** What `geminidb-sessions --help` prints: the commands, then what they share. */
export const helpText: string = `Usage: geminidb-sessions <command> [options]
       geminidb-sessions <command> --help     (each command's options and examples)

Sessions of GeminiDB Redis instances: look before you close, close only what you mean to.

Commands:
${commands.map((command) => `  ${command.name.padEnd(29)}${command.summary}`).join("\n")}

Every command takes --region <r> or --endpoint <url>, --project-id <id>, --json,
--verbose/--debug, --timeout-ms and --max-retries; the closing commands also --dry-run
and --yes (without it they ask on a terminal, and refuse without one).

${helpFooter}

Examples:
  export GEMINIDB_TOKEN=...      # an IAM token (X-Subject-Token of POST /v3/auth/tokens)
  export HUAWEICLOUD_SDK_PROJECT_ID=619d3e78f61b4be68bc5aa0b59edcf7b
  geminidb-sessions list-instance-sessions --region cn-north-4 --instance-id c865f921f3dd45198f209a607533a779in12
  geminidb-sessions close-idle-sessions --region cn-north-4 --node-id 784b3fb7bac14bc490659950dd4f022fno12 --idle-longer-than 600 --dry-run
`;

/** Old names that now belong to a command, with the name to use. */
const renamed: Record<string, string> = { close: closeInstanceSessions.name };

function commandNamed(name: string): Command {
  const found = commands.find((command) => command.name === name);
  if (found !== undefined) return found;
  const suggestion = renamed[name] ?? closest(name, commandNames);
  throw new UsageError(`unknown command '${name}'${suggestion === undefined ? "" : `; did you mean ${suggestion}?`}`, [
    `commands: ${commandNames.join(", ")}`,
  ]);
}

/**
 * Runs `geminidb-sessions` with `argv` (the arguments after the program name) and
 * resolves with the exit code; never throws, never exits the process.
 *
 * @example
 * const code = await runCli(["list-node-sessions", "--endpoint", url, "--node-id", id, "--json"], {
 *   stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: { GEMINIDB_TOKEN: token },
 * });
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const json = argv.includes("--json");
  const secrets: string[] = [];
  let command: Command | undefined;
  try {
    const allOptions = [...new Map(commands.flatMap(optionsOf).map((option) => [option.name, option])).values()];
    const name = findCommand(argv, allOptions);
    const print = (text: string) => {
      io.stdout.write(text);
      return exitCodes.success;
    };
    if (name === undefined || name === "help") {
      if (argv.includes("--version")) return print(`${cliVersion}\n`);
      if (argv.includes("--help") || argv.includes("-h") || name === "help") return print(helpText);
      parseCommandArgs(argv, "geminidb-sessions", commonOptions);
      throw new UsageError("no command given", [`commands: ${commandNames.join(", ")}`]);
    }
    command = commandNamed(name);
    const args = parseCommandArgs(argv, name, optionsOf(command));
    if (args.values.help === true) return print(renderHelp(command, helpFooter));
    if (args.values.version === true) return print(`${cliVersion}\n`);
    return await command.run({ args, io, secrets });
  } catch (error) {
    if (error instanceof UsageError) {
      const message = maskSecrets(error.message, secrets);
      const details = error.details.map((line) => maskSecrets(line, secrets));
      const help = command === undefined ? "geminidb-sessions --help" : `geminidb-sessions ${command.name} --help`;
      io.stderr.write(`geminidb-sessions: ${message}\n${details.map((line) => `  ${line}\n`).join("")}Run '${help}' for usage.\n`);
      if (json) {
        const base = { command: command?.name ?? null, dryRun: argv.includes("--dry-run") };
        writeJson(io, buildReport({ ...base, outcome: "usage", exitCode: exitCodes.usage, results: [], error: { message, details } }));
      }
      return exitCodes.usage;
    }
    // A bug, not a user error: one line, no stack trace, secrets masked.
    const message = maskSecrets(error instanceof Error ? error.message : String(error), secrets);
    io.stderr.write(`geminidb-sessions: internal error: ${message}\n`);
    return exitCodes.failure;
  }
}
