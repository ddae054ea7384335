import { readFile, stat } from "node:fs/promises";
import { extname } from "node:path";
import { parse as parseYaml } from "yaml";
import { EmulatorConfigError } from "./config-error.js";
import { parseWorldConfig } from "./parse-world-config.js";
import type { WorldConfig } from "./world-config.js";

/** Config files larger than this are refused unread. */
export const maxConfigFileBytes: number = 10 * 1024 * 1024;

/**
 * Where a parser gave up, without the excerpt of the file parsers like to quote (the file
 * holds secret keys, and the message may end up in a CI log).
 */
function whereParsingFailed(error: unknown): string {
  const message = error instanceof Error ? error.message : "";
  const yamlPlace = /at line (\d+), column (\d+)/.exec(message);
  if (yamlPlace) return ` (line ${yamlPlace[1]}, column ${yamlPlace[2]})`;
  const jsonPlace = /position (\d+)/.exec(message);
  return jsonPlace ? ` (at character ${jsonPlace[1]})` : "";
}

/**
 * Reads a world config from a `.json`, `.yaml` or `.yml` file and checks it.
 * Throws {@link EmulatorConfigError} naming the file and every problem in it.
 */
export async function loadWorldFile(path: string): Promise<WorldConfig> {
  const extension = extname(path).toLowerCase();
  if (![".json", ".yaml", ".yml"].includes(extension)) {
    throw new EmulatorConfigError(`Config file ${path}: use a .json, .yaml or .yml file`);
  }
  let text: string;
  try {
    const { size } = await stat(path);
    if (size > maxConfigFileBytes) throw new EmulatorConfigError(`Config file ${path} is larger than ${maxConfigFileBytes} bytes`);
    text = await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof EmulatorConfigError) throw error;
    throw new EmulatorConfigError(`Cannot read config file ${path}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = extension === ".json" ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new EmulatorConfigError(
      `Config file ${path} is not valid ${extension === ".json" ? "JSON" : "YAML"}${whereParsingFailed(error)}`,
    );
  }
  return parseWorldConfig(data, `config file ${path}`);
}
