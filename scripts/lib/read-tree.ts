import { readdir } from "node:fs/promises";
import { join, relative } from "node:path";

/** Every file below `dir`, as paths relative to `base`, sorted. */
export async function listFiles(dir: string, base = dir): Promise<string[]> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const files: string[] = [];
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(full, base)));
    else files.push(relative(base, full));
  }
  return files.sort();
}
