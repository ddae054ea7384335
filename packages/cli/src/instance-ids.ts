import { readFile } from "node:fs/promises";
import type { CloseOptions } from "./command-line.js";
import type { CliInput } from "./io.js";
import { UsageError } from "./usage-error.js";

/** An instance ID and where it came from (`--instance-id`, `ids.txt:3`, `stdin:2`), for messages about it. */
export interface InstanceIdEntry {
  id: string;
  origin: string;
}

/** The most a file or stdin may hold: a list of IDs is small, anything bigger is a mistake. */
const maxListBytes = 16 * 1024 * 1024;

/**
 * The IDs in a list: one per line; surrounding spaces, blank lines and `#` comments
 * (whole-line or trailing) are ignored. An ID never contains `#`, so cutting at the
 * first one is safe.
 *
 * @example
 * parseIdList("# prod\nc865f921f3dd45198f209a607533a779in12  # cache\n\n", "ids.txt");
 * // [{ id: "c865f921f3dd45198f209a607533a779in12", origin: "ids.txt:2" }]
 */
export function parseIdList(text: string, sourceName: string): InstanceIdEntry[] {
  const entries: InstanceIdEntry[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const id = line.replace(/#.*$/, "").trim();
    if (id !== "") entries.push({ id, origin: `${sourceName}:${index + 1}` });
  });
  return entries;
}

/** Reads a whole stream as UTF-8 text, refusing more than {@link maxListBytes}. */
export async function readText(stream: CliInput, sourceName: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk);
    size += buffer.length;
    if (size > maxListBytes)
      throw new UsageError(`${sourceName} holds more than ${maxListBytes} bytes; is it really a list of instance IDs?`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function readListFile(path: string): Promise<string> {
  try {
    const text = await readFile(path);
    if (text.length > maxListBytes)
      throw new UsageError(`${path} holds more than ${maxListBytes} bytes; is it really a list of instance IDs?`);
    return text.toString("utf8");
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "it is a directory" : code;
    throw new UsageError(`cannot read --from-file ${path}: ${reason ?? "read failed"}`);
  }
}

/** The instance IDs to act on, in order, each once; and the IDs that were listed more than once. */
export interface InstanceIdList {
  entries: InstanceIdEntry[];
  duplicates: string[];
}

/**
 * Gathers the IDs from `--instance-id`, each `--from-file` (`-` is stdin) and, when
 * neither is given, from stdin if it is not a terminal. Keeps the first of repeated
 * IDs. Throws {@link UsageError} when there is none.
 */
export async function collectInstanceIds(
  options: Pick<CloseOptions, "instanceIds" | "fromFiles">,
  stdin: CliInput,
): Promise<InstanceIdList> {
  const all: InstanceIdEntry[] = options.instanceIds.map((id) => ({ id: id.trim(), origin: "--instance-id" }));
  for (const file of options.fromFiles) {
    all.push(...parseIdList(file === "-" ? await readText(stdin, "stdin") : await readListFile(file), file === "-" ? "stdin" : file));
  }
  const nothingGiven = options.instanceIds.length === 0 && options.fromFiles.length === 0;
  if (nothingGiven && stdin.isTTY !== true) all.push(...parseIdList(await readText(stdin, "stdin"), "stdin"));
  if (all.length === 0) {
    throw new UsageError(
      nothingGiven
        ? "no instance IDs: give --instance-id <id>, --from-file <path>, or pipe IDs (one per line) on stdin"
        : "no instance IDs: the lists given hold only blank lines and comments",
    );
  }
  const seen = new Set<string>();
  const entries: InstanceIdEntry[] = [];
  const duplicates = new Set<string>();
  for (const entry of all) {
    if (seen.has(entry.id)) duplicates.add(entry.id);
    else {
      seen.add(entry.id);
      entries.push(entry);
    }
  }
  return { entries, duplicates: [...duplicates] };
}
