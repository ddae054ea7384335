// `node --import <this file> …` appends each module the process resolves after it (the
// main script included) to the file named by $IMPORT_LOG, one JSON line per module:
// { "specifier": "@geminidb-sessions/client", "url": "file:///…/index.js" }. Node's
// module hooks run in a thread of their own, which loads this file again to find them.
import { appendFileSync } from "node:fs";
import { register } from "node:module";
import { isMainThread } from "node:worker_threads";

if (isMainThread) register(import.meta.url);

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  const log = process.env.IMPORT_LOG;
  if (log === undefined) throw new Error("log-imports.mjs: set IMPORT_LOG to the file to log to");
  appendFileSync(log, `${JSON.stringify({ specifier, url: resolved.url })}\n`);
  return resolved;
}
