import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Options } from "tsup";
import type TypeScript from "typescript";

// Loaded through require: importing TypeScript's 9 MB CommonJS file as ESM makes Node scan it for
// named exports first (cjs-module-lexer), about 0.3 s of CPU in every package's build.
const ts: typeof TypeScript = createRequire(import.meta.url)("typescript");

/**
 * One build for every package: ESM + CJS + .d.ts/.d.cts from src/index.ts, for Node 20+ and browsers.
 *
 * The declarations are not tsup's: its dts step (rollup-plugin-dts in a worker thread) loads TypeScript a
 * second time and bundles every entry's declarations with rollup, about 1.2 s of CPU in each package's
 * build. Instead, once esbuild has written the JavaScript, `writeDeclarations` puts each module's
 * declarations (transpiled on their own, no program) next to it in `dist/`, once as `.d.ts` and once as
 * `.d.cts`: the same layout `tsc` writes, and the one every TypeScript resolution mode reads.
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
    const { dts, onSuccess } = options;
    if (cliOptions.dts === false || dts === false || dts === undefined) return { ...options, dts: false };
    const declared = typeof dts === "object" && dts.entry !== undefined ? dts.entry : options.entry;
    if (typeof declared !== "string" && !Array.isArray(declared))
      throw new Error("packageBuild: give entries as a path or a list of paths");
    if (typeof onSuccess === "string") throw new Error("packageBuild: give onSuccess as a function");
    const entries = typeof declared === "string" ? [declared] : declared;
    const packageDir = process.cwd();
    return {
      ...options,
      dts: false,
      async onSuccess() {
        writeDeclarations(packageDir, entries, resolve(packageDir, options.outDir ?? "dist"));
        return onSuccess?.();
      },
    };
  };
}

/**
 * Writes the declarations of every module the entries reach into `outDir`, each at its path from the
 * entries' common folder (`src/errors.ts` → `errors.d.ts` and `errors.d.cts`), and returns the paths
 * written. In the `.d.cts` copy, relative imports name `.cjs` (`./errors.js` → `./errors.cjs`), so a
 * CommonJS consumer's types stay in the CommonJS copies, as `tsc` would write them from `.cts` sources.
 *
 * Each file's declarations are transpiled on its own (`ts.transpileDeclaration`), as TypeScript's
 * isolatedDeclarations allows when every export is annotated or a literal: no program, no type-checking,
 * and no other package's types read, so no build waits for another (the root turbo.json). TypeScript
 * guarantees the result is what a full emit prints. An export that needs the checker fails the build
 * with TypeScript's TS90xx message naming the file and line.
 */
export function writeDeclarations(packageDir: string, entries: readonly string[], outDir: string): string[] {
  const configPath = join(packageDir, "tsconfig.json");
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, packageDir);
  const compilerOptions: TypeScript.CompilerOptions = {
    ...config.options,
    declaration: true,
    noEmit: false,
    emitDeclarationOnly: true,
    declarationMap: false,
    target: ts.ScriptTarget.ESNext,
  };
  const entryPaths = entries.map((entry) => resolve(packageDir, entry));
  const declarations = isolatedDeclarations(packageDir, entryPaths, compilerOptions);
  const common = entryPaths
    .map((path) => dirname(path))
    .reduce((a, b) => {
      while (a !== b && relative(a, b).startsWith("..")) a = dirname(a);
      return a;
    });
  const written: string[] = [];
  for (const [source, text] of declarations) {
    const path = relative(common, source);
    if (path.startsWith("..")) throw new Error(`writeDeclarations: ${source} is outside ${common}, the entries' folder`);
    const base = join(outDir, path.replace(/(\.d)?\.[cm]?tsx?$|\.[cm]?js$/, ""));
    mkdirSync(dirname(base), { recursive: true });
    writeFileSync(`${base}.d.ts`, text);
    writeFileSync(`${base}.d.cts`, commonJsDeclarations(text));
    written.push(`${base}.d.ts`, `${base}.d.cts`);
  }
  return written;
}

/** `text` with every relative `.js` module name (imports, re-exports, `import()` types) turned into `.cjs`. */
function commonJsDeclarations(text: string): string {
  const references = ts.preProcessFile(text, true, true).importedFiles.filter((file) => /^\.\.?\/.*\.js$/.test(file.fileName));
  let result = "";
  let at = 0;
  for (const { fileName, pos } of references.sort((a, b) => a.pos - b.pos)) {
    // `pos` is where the name's string literal starts (its quote, in TypeScript 5): find the name from there.
    const start = text.indexOf(fileName, pos);
    result += `${text.slice(at, start)}${fileName.slice(0, -".js".length)}.cjs`;
    at = start + fileName.length;
  }
  return result + text.slice(at);
}

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
