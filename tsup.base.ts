import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Options } from "tsup";
import type TypeScript from "typescript";

// Loaded through require: importing TypeScript's 9 MB CommonJS file as ESM makes Node scan it for
// named exports first (cjs-module-lexer), about 0.3 s of CPU in every package's build.
const ts: typeof TypeScript = createRequire(import.meta.url)("typescript");

/**
 * One build for every package: ESM + CJS + .d.ts/.d.cts from src/index.ts, for Node 20+ and browsers.
 *
 * The declarations are bundled by tsup (rollup-plugin-dts) as before, but from declaration files this
 * config writes first (`emitDeclarations`), not from the sources: given .ts entries, tsup's dts step
 * builds a TypeScript program and type-checks every file again (the `typecheck` task already does, with
 * the same compiler options), which was most of each package's build time.
 */
export function packageBuild(overrides: Options = {}): (cliOptions: Options) => Options {
  const options: Options = {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    sourcemap: false,
    target: "es2022",
    platform: "neutral",
    splitting: false,
    // esbuild's own tree-shaking only: tsup's `treeshake` runs rollup over esbuild's output once more, about
    // a fifth of the cold build's CPU (1.5 s in core's build alone), and the consumers' bundles it would trim
    // came out the same size (bench/RESULTS.md, section 2b): their bundlers shake the code again anyway.
    // The client's build keeps it, for its CommonJS interop with openapi-fetch (packages/client/tsup.config.ts).
    treeshake: false,
    outDir: "dist",
    ...overrides,
  };
  return (cliOptions) => {
    if (cliOptions.dts === false || options.dts === false || options.dts === undefined) return options;
    const declared = typeof options.dts === "object" && options.dts.entry !== undefined ? options.dts.entry : options.entry;
    if (typeof declared !== "string" && !Array.isArray(declared))
      throw new Error("packageBuild: give entries as a path or a list of paths");
    const entries = typeof declared === "string" ? [declared] : declared;
    return {
      ...options,
      dts: { ...(typeof options.dts === "object" ? options.dts : {}), entry: emitDeclarations(process.cwd(), entries) },
    };
  };
}

/**
 * Writes the package's per-module declarations into a temp dir (removed when the build's process exits)
 * and returns tsup's dts entries pointing there, named as tsup names source entries (their path from the
 * entries' common folder, without extension).
 *
 * Each file's declarations are transpiled on its own (`ts.transpileDeclaration`), as TypeScript's
 * isolatedDeclarations allows when every export is annotated or a literal: no program, no type-checking,
 * and no other package's types read, so no build waits for another (the root turbo.json). TypeScript
 * guarantees the result is what a full emit prints. An export that needs the checker fails the build
 * with TypeScript's TS90xx message naming the file and line.
 *
 * Entries are written as `.d.ts` (tsup's dts step builds a program for any other entry); the other modules
 * keep their `.ts` name, though their text is declarations: rollup-plugin-dts reads a `.ts` module as
 * declarations when every input is a `.d.ts`, and rollup names a shared chunk after its last module, so
 * core's `options-<hash>.d.ts` keeps its name (not `options.d-<hash>.d.ts`). A shared chunk that ends
 * with an entry module does get the `.d`: core's `public-surface.d-<hash>.d.ts`, `public-surface-<hash>.d.ts`
 * before (the same hash, the same text; no export points at it).
 */
function emitDeclarations(packageDir: string, entries: readonly string[]): Record<string, string> {
  const configPath = join(packageDir, "tsconfig.json");
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, packageDir);
  // What tsup's dts step (and rollup-plugin-dts under it) set over the package's tsconfig.
  const compilerOptions: TypeScript.CompilerOptions = {
    ...config.options,
    baseUrl: ".",
    declaration: true,
    noEmit: false,
    emitDeclarationOnly: true,
    checkJs: false,
    declarationMap: false,
    skipLibCheck: true,
    preserveSymlinks: false,
    target: ts.ScriptTarget.ESNext,
  };
  const entryPaths = entries.map((entry) => resolve(packageDir, entry));
  const declarations = isolatedDeclarations(packageDir, entryPaths, compilerOptions);

  const outDir = mkdtempSync(join(tmpdir(), "geminidb-sessions-dts-"));
  process.once("exit", () => rmSync(outDir, { recursive: true, force: true }));
  const entrySet = new Set(entryPaths);
  for (const [source, text] of declarations) {
    const target = join(outDir, relative(packageDir, entrySet.has(source) ? declarationName(source) : source));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }

  const common = entryPaths
    .map((path) => dirname(path))
    .reduce((a, b) => {
      while (a !== b && relative(a, b).startsWith("..")) a = dirname(a);
      return a;
    });
  return Object.fromEntries(
    entryPaths.map((path) => [
      relative(common, path)
        .replace(/\.[a-z]+$/, "")
        .split(sep)
        .join("/"),
      join(outDir, relative(packageDir, declarationName(path))),
    ]),
  );
}

const declarationName = (path: string) => (/\.d\.[cm]?ts$/.test(path) ? path : path.replace(/\.([cm]?)tsx?$/, ".d.$1ts"));

const inPackage = (packageDir: string, path: string) => path.startsWith(packageDir + sep) && !path.includes(`${sep}node_modules${sep}`);

/** Declarations of every module the entries reach, keyed by source path; throws if one needs the checker. */
function isolatedDeclarations(
  packageDir: string,
  entryPaths: readonly string[],
  compilerOptions: TypeScript.CompilerOptions,
): Map<string, string> {
  const declarations = new Map<string, string>();
  const errors: TypeScript.Diagnostic[] = [];
  const queue = [...entryPaths];
  for (let source = queue.pop(); source !== undefined; source = queue.pop()) {
    if (declarations.has(source)) continue;
    const code = readFileSync(source, "utf8");
    let text = code;
    if (!source.endsWith(".d.ts")) {
      const result = ts.transpileDeclaration(code, { fileName: source, compilerOptions, reportDiagnostics: true });
      errors.push(...(result.diagnostics ?? []));
      text = result.outputText;
    }
    declarations.set(source, text);
    for (const imported of ts.preProcessFile(text, true, true).importedFiles) {
      if (!imported.fileName.startsWith(".")) continue;
      const resolved = ts.resolveModuleName(imported.fileName, source, compilerOptions, ts.sys).resolvedModule?.resolvedFileName;
      if (resolved !== undefined && isAbsolute(resolved) && inPackage(packageDir, resolved)) queue.push(resolved);
    }
  }
  if (errors.length > 0) {
    const host = { getCanonicalFileName: (name: string) => name, getCurrentDirectory: () => packageDir, getNewLine: () => "\n" };
    throw new Error(`isolated declaration emit failed:\n${ts.formatDiagnostics(errors, host)}`);
  }
  return declarations;
}
