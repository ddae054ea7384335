import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Bytes of every regular file under `dir` (apparent sizes: the same on any file system). */
export function treeBytes(dir: string, skip: (path: string) => boolean = () => false): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (skip(path)) continue;
    if (entry.isDirectory()) total += treeBytes(path, skip);
    else if (entry.isFile()) total += lstatSync(path).size;
  }
  return total;
}

/** Every installed package (a folder with a package.json) under a node_modules, nested ones included. */
export function installedPackages(nodeModules: string): string[] {
  const found: string[] = [];
  const visit = (modules: string) => {
    for (const entry of readdirSync(modules, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
      const path = join(modules, entry.name);
      const names = entry.name.startsWith("@") ? readdirSync(path).map((name) => `${entry.name}/${name}`) : [entry.name];
      for (const name of names) {
        const packageDir = join(modules, name);
        found.push(name);
        const nested = join(packageDir, "node_modules");
        if (safeIsDir(nested)) visit(nested);
      }
    }
  };
  visit(nodeModules);
  return found.sort();
}

function safeIsDir(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** What `du -s` counts: allocated 512-byte blocks of every file and folder under `dir`. */
export function diskBytes(dir: string): number {
  let total = lstatSync(dir).blocks * 512;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? diskBytes(path) : lstatSync(path).blocks * 512;
  }
  return total;
}
