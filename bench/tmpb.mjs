import { build } from "esbuild";
const r = await build({ entryPoints: ["/work/main/bench/bundle-entries/client.ts"], bundle: true, minify: true, format: "esm", platform: "browser", target: "es2022", write: false, metafile: true, logLevel: "silent" });
const { gzipSync } = await import("node:zlib");
console.log("min", r.outputFiles[0].contents.length, "gz", gzipSync(r.outputFiles[0].contents, { level: 9 }).length);
const files = [];
for (const o of Object.values(r.metafile.outputs)) for (const [i, { bytesInOutput }] of Object.entries(o.inputs)) files.push([bytesInOutput, i.replace(/.*packages\//, "").replace(/.*node_modules\//, "")]);
files.sort((a, b) => b[0] - a[0]).slice(0, 30).forEach((f) => console.log(f[0], f[1]));
