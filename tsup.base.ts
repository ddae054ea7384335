import type { Options } from "tsup";

/** One build for every package: ESM + CJS + .d.ts from src/index.ts, for Node 20+ and browsers. */
export function packageBuild(overrides: Options = {}): Options {
  return {
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
}
