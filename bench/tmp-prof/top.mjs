import { readFileSync, readdirSync } from "node:fs";
const f = readdirSync(new URL(".", import.meta.url)).filter((x) => x.endsWith(".cpuprofile"))[0];
const p = JSON.parse(readFileSync(new URL(f, import.meta.url)));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const dt = p.timeDeltas; const total = dt.reduce((a, b) => a + b, 0);
const counts = new Map();
p.samples.forEach((s, i) => counts.set(s, (counts.get(s) ?? 0) + dt[i]));
const key = (n) => `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.replace(/.*node_modules\//, "").replace(/.*\/packages\//, "")}:${n.callFrame.lineNumber}`;
const self = new Map();
for (const [id, t] of counts) { const k = key(byId.get(id)); self.set(k, (self.get(k) ?? 0) + t); }
const parent = new Map(); for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map();
for (const [id, t] of counts) { const seen = new Set(); let cur = id; while (cur !== undefined) { const k = key(byId.get(cur)); if (!seen.has(k)) { incl.set(k, (incl.get(k) ?? 0) + t); seen.add(k); } cur = parent.get(cur); } }
const pr = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).forEach(([k, t]) => console.log((t / total * 100).toFixed(1).padStart(5), k));
console.log("SELF"); pr(self, 25); console.log("INCLUSIVE"); pr(incl, Number(process.argv[2] ?? 50));
