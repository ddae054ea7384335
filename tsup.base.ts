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
 * How a package's declarations are written:
 * - `"isolated"` (the default): each module on its own, as TypeScript's isolatedDeclarations allows
 *   (every export annotated, or a literal). No program, no other package's types: the build needs
 *   nothing built before it, so turbo runs every such build at once. A module that needs the checker
 *   fails the build, naming the file, line and rule.
 * - `"program"`: one program of the entries, which reads the declarations of the packages imported
 *   (so turbo builds them first). For code that cannot be annotated: typescript-fetch's generated runtime.
 */
export type Declarations = "isolated" | "program";

/**
 * One build for every package: ESM + CJS + .d.ts/.d.cts from src/index.ts, for Node 20+ and browsers.
 *
 * The declarations are bundled by tsup (rollup-plugin-dts) as before, but from declaration files this
 * config writes first (`emitDeclarations`), not from the sources: given .ts entries, tsup's dts step
 * builds a TypeScript program and type-checks every file again (the `typecheck` task already does, with
 * the same compiler options), which was most of each package's build time.
 */
export function packageBuild(overrides: Options = {}, declarations: Declarations = "isolated"): (cliOptions: Options) => Options {
  const options: Options = {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    sourcemap: false,
    target: "es2022",
    platform: "neutral",
    splitting: false,
    treeshake: true,
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
      dts: { ...(typeof options.dts === "object" ? options.dts : {}), entry: emitDeclarations(process.cwd(), entries, declarations) },
    };
  };
}

/**
 * Writes the package's per-module declarations into a temp dir (removed when the build's process exits)
 * and returns tsup's dts entries pointing there, named as tsup names source entries (their path from the
 * entries' common folder, without extension).
 *
 * - `"isolated"`: each file's declarations are transpiled on its own (`ts.transpileDeclaration`): no
 *   program, no type-checking. TypeScript guarantees the result is what a full emit prints.
 * - `"program"`: one program emits them (with the options tsup's dts step used), skipping the full check of
 *   each file that `emit` does first by default: declaration emit still asks the checker for every type it
 *   must print, and still reports what it cannot print (the build fails on those, as before).
 *
 * Entries are written as `.d.ts` (tsup's dts step builds a program for any other entry); the other modules
 * keep their `.ts` name, though their text is declarations: rollup-plugin-dts reads a `.ts` module as
 * declarations when every input is a `.d.ts`, and rollup names a shared chunk after its last module, so
 * core's `options-<hash>.d.ts` keeps its name (not `options.d-<hash>.d.ts`). A shared chunk that ends
 * with an entry module does get the `.d`: core's `public-surface.d-<hash>.d.ts`, `public-surface-<hash>.d.ts`
 * before (the same hash, the same text; no export points at it).
 */
function emitDeclarations(packageDir: string, entries: readonly string[], how: Declarations): Record<string, string> {
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
  const declarations =
    how === "isolated"
      ? isolatedDeclarations(packageDir, entryPaths, compilerOptions)
      : programDeclarations(packageDir, entryPaths, compilerOptions);

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
  failOn(errors, packageDir, "isolated declaration emit");
  return declarations;
}

function failOn(errors: readonly TypeScript.Diagnostic[], packageDir: string, what: string): void {
  if (errors.length === 0) return;
  const host = { getCanonicalFileName: (name: string) => name, getCurrentDirectory: () => packageDir, getNewLine: () => "\n" };
  throw new Error(`${what} failed:\n${ts.formatDiagnostics(errors, host)}`);
}

/** Declarations of every module of the package in a program of the entries, keyed by source path. */
function programDeclarations(
  packageDir: string,
  entryPaths: readonly string[],
  compilerOptions: TypeScript.CompilerOptions,
): Map<string, string> {
  const program = ts.createProgram(entryPaths, compilerOptions, ts.createCompilerHost(compilerOptions, true));
  // `emit`'s sixth parameter, forceDtsEmit (internal, what transpileDeclaration uses): with emitOnlyDts,
  // the emit resolver skips the full check of the file and answers only what declaration emit asks.
  const emit = program.emit as (...args: [...Parameters<TypeScript.Program["emit"]>, forceDtsEmit: boolean]) => TypeScript.EmitResult;
  const declarations = new Map<string, string>();
  const errors: TypeScript.Diagnostic[] = [];
  for (const sourceFile of program.getSourceFiles()) {
    const source = resolve(sourceFile.fileName);
    if (!inPackage(packageDir, source)) continue;
    if (sourceFile.isDeclarationFile) {
      declarations.set(source, sourceFile.text);
      continue;
    }
    const result = emit.call(program, sourceFile, (_name, text) => declarations.set(source, text), undefined, true, undefined, true);
    errors.push(...result.diagnostics.filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error));
  }
  failOn(errors, packageDir, "declaration emit");
  return declarations;
}
