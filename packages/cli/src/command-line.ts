import { parseArgs } from "node:util";
import { defaultRetryPolicy, MAX_RETRIES_LIMIT } from "@geminidb-sessions/client";
import type { Command } from "./command.js";
import { UsageError } from "./results.js";
import { closest } from "./text.js";

/** One option of a command, with what its help says. */
export interface OptionDef {
  /** The long name, without `--`. */
  name: string;
  short?: string;
  type: "string" | "boolean";
  /** May be given more than once (values collected in order). */
  multiple?: boolean;
  /** How the value shows in help, e.g. `<id>`. */
  value?: string;
  help: string;
}

/** The options every command takes: where requests go, how they are sent, how results print. */
export const commonOptions: readonly OptionDef[] = [
  { name: "project-id", type: "string", value: "<id>", help: "the project (default: $HUAWEICLOUD_SDK_PROJECT_ID)" },
  {
    name: "region",
    type: "string",
    value: "<region>",
    help: "a region, e.g. cn-north-4: https://gaussdb-nosql.<region>.myhuaweicloud.com",
  },
  { name: "endpoint", type: "string", value: "<url>", help: "an explicit origin instead (http:// only to loopback, e.g. an emulator)" },
  { name: "timeout-ms", type: "string", value: "<ms>", help: `how long one attempt may take (default ${defaultRetryPolicy.timeoutMs})` },
  {
    name: "max-retries",
    type: "string",
    value: "<n>",
    help: `retries after a connection error, timeout, 429, 5xx or busy answer (default ${defaultRetryPolicy.maxRetries}, at most ${MAX_RETRIES_LIMIT})`,
  },
  { name: "json", type: "boolean", help: "print one JSON object on stdout, the service's values exactly as received" },
  { name: "verbose", type: "boolean", short: "v", help: "print each request and response line on stderr (secrets masked)" },
  { name: "debug", type: "boolean", help: "like --verbose, with the headers (secrets masked)" },
  {
    name: "token",
    type: "string",
    value: "<token>",
    help: "an IAM token on the command line: discouraged (shell history, ps); use $GEMINIDB_TOKEN",
  },
  { name: "help", short: "h", type: "boolean", help: "print this command's help" },
  { name: "version", type: "boolean", help: "print the version" },
];

/** The options of the commands that close sessions. */
export const closeOptions: readonly OptionDef[] = [
  { name: "dry-run", type: "boolean", help: "print the signed requests that would be sent, secrets masked as ***; send nothing" },
  {
    name: "yes",
    short: "y",
    type: "boolean",
    help: "do not ask for confirmation. Without it the command asks on a terminal, and refuses (exit 2) when stdin or stderr is not one",
  },
];

/** What a command line holds once read against a command's options. */
export interface ParsedArgs {
  /** Values by long option name: a string, a list of strings (`multiple`), or true. */
  values: Record<string, string | string[] | boolean | undefined>;
  /** Arguments that are not options, the command's name excluded. */
  positionals: string[];
}

/** The command's name: the first argument that is not an option or an option's value. */
export function findCommand(argv: readonly string[], allOptions: readonly OptionDef[]): string | undefined {
  const { tokens } = parseArgs({ args: [...argv], options: specOf(allOptions), strict: false, allowPositionals: true, tokens: true });
  const first = tokens.find((token) => token.kind === "positional" || token.kind === "option-terminator");
  return first?.kind === "positional" ? first.value : undefined;
}

function specOf(options: readonly OptionDef[]) {
  return Object.fromEntries(
    options.map((option) => [
      option.name,
      { type: option.type, multiple: option.multiple ?? false, ...(option.short ? { short: option.short } : {}) },
    ]),
  );
}

const flag = (name: string) => (name.length === 1 ? `-${name}` : `--${name}`);

/**
 * Reads `argv` (the command's name included) against the command's options. An unknown
 * option is named with the closest known one; a string option needs a value that is not
 * another option; a boolean option takes none; a single-valued option may appear once.
 */
export function parseCommandArgs(argv: readonly string[], command: string, options: readonly OptionDef[]): ParsedArgs {
  const { tokens } = parseArgs({ args: [...argv], options: specOf(options), strict: false, allowPositionals: true, tokens: true });
  const byName = new Map(options.map((option) => [option.name, option]));
  const values: ParsedArgs["values"] = {};
  const positionals: string[] = [];
  let commandSeen = false;
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      if (!commandSeen && token.value === command) commandSeen = true;
      else positionals.push(token.value);
      continue;
    }
    const option = byName.get(token.name);
    if (option === undefined) {
      const names = options.map((known) => known.name);
      const guess = closest(token.name, names);
      const hint = guess === undefined ? "" : `; did you mean --${guess}?`;
      throw new UsageError(`unknown option ${token.rawName.split("=")[0]} for ${command}${hint}`);
    }
    if (option.type === "boolean") {
      if (token.value !== undefined) throw new UsageError(`--${option.name} takes no value (got '${token.value}')`);
      values[option.name] = true;
      continue;
    }
    const value = token.value;
    if (value === undefined || (!token.inlineValue && value.startsWith("--"))) {
      throw new UsageError(`${flag(token.name)} needs a value${option.value ? ` ${option.value}` : ""}`);
    }
    if (option.multiple) values[option.name] = [...((values[option.name] as string[] | undefined) ?? []), value];
    else if (values[option.name] !== undefined) throw new UsageError(`--${option.name} can be given only once`);
    else values[option.name] = value;
  }
  return { values, positionals };
}

/** A string option's value, when given. */
export const stringValue = (args: ParsedArgs, name: string): string | undefined => {
  const value = args.values[name];
  return typeof value === "string" ? value : undefined;
};

/** A repeatable option's values, in order. */
export const listValue = (args: ParsedArgs, name: string): string[] => {
  const value = args.values[name];
  return Array.isArray(value) ? value : [];
};

/** Whether a boolean option was given. */
export const flagValue = (args: ParsedArgs, name: string): boolean => args.values[name] === true;

/**
 * A whole-number option, checked against its range, with a message saying what was
 * wrong (`--timeout-ms must be a whole number of milliseconds from 1 to …, not '-1'`).
 */
export function wholeNumber(args: ParsedArgs, name: string, what: string, range: { min: number; max: number }): number | undefined {
  const value = stringValue(args, name);
  if (value === undefined) return undefined;
  const expected = `a whole number of ${what} from ${range.min} to ${range.max}`;
  if (!/^\d{1,10}$/.test(value)) {
    const why = value.startsWith("-") ? " (negative numbers are not allowed)" : "";
    throw new UsageError(`--${name} must be ${expected}, not '${value}'${why}`);
  }
  const number = Number(value);
  if (number < range.min || number > range.max) throw new UsageError(`--${name} must be ${expected}, not ${value}`);
  return number;
}

/** Refuses positional arguments a command does not take. */
export function noPositionals(args: ParsedArgs, hint: string): void {
  const [extra] = args.positionals;
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}': ${hint}`);
}

/** A command's full `--help` text: usage, description, its options by group, `footer`, then its examples. */
export function renderHelp(command: Command, footer: string): string {
  const optionLines = (options: readonly OptionDef[]) =>
    options
      .map((option) => {
        const names = `${option.short ? `-${option.short}, ` : "    "}--${option.name}${option.value ? ` ${option.value}` : ""}`;
        return `  ${names.padEnd(28)}${option.help}`;
      })
      .join("\n");
  const usage = command.usage.map((line, index) => `${index === 0 ? "Usage: " : "       "}geminidb-sessions ${command.name} ${line}`);
  const groups = [
    { title: "Options", options: command.options },
    ...(command.closes ? [{ title: "Closing", options: closeOptions }] : []),
    { title: "Where and how", options: commonOptions },
  ].map((group) => `${group.title}:\n${optionLines(group.options)}`);
  const examples = `Examples:\n${command.examples.replace(/^\n+|\s+$/g, "")}`;
  return `${[usage.join("\n"), command.description.trim(), ...groups, footer.trim(), examples].join("\n\n")}\n`;
}
