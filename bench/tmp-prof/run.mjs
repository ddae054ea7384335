import { fork } from "node:child_process";
import { createSessionsClient } from "@geminidb-sessions/client";
import { createNodeFetch } from "@geminidb-sessions/core/node";
const server = fork(new URL("./server.mjs", import.meta.url));
const port = await new Promise((r) => server.once("message", r));
const url = `http://127.0.0.1:${port}`;
const projectId = "619d3e78f61b4be68bc5aa0b59edcf7b", instanceId = "c865f921f3dd45198f209a607533a779in12", token = "MIIT0kenSecretValue-abc123";
const which = process.argv[2];
let call;
if (which === "raw") {
  const u = new URL(`${url}/v3/${projectId}/instances/${instanceId}/sessions`);
  call = async () => { const r = await fetch(u, { method: "DELETE", headers: { "User-Agent": "x", "X-Auth-Token": token } }); await r.arrayBuffer(); };
} else {
  const c = createSessionsClient({ projectId, endpoint: url, credentials: which === "aksk" ? { accessKey: "HPUAEXAMPLEAK1234567", secretKey: "S3cretKeyNeverPrinted0123456789abcdefGHIJ" } : { token }, ...(which === "node" ? { fetch: createNodeFetch() } : {}) });
  call = () => c.closeInstanceSessions({ instanceId });
}
const conc = Number(process.argv[3] ?? 1);
async function drive(n) { let i = 0; await Promise.all(Array.from({ length: conc }, async () => { while (i++ < n) await call(); })); }
await drive(2000);
const cpu = process.cpuUsage(); const t = performance.now();
await drive(Number(process.argv[4] ?? 5000));
const ms = performance.now() - t; const u2 = process.cpuUsage(cpu);
const n = Number(process.argv[4] ?? 5000);
console.log(which, "conc", conc, "calls/s", Math.round(n / ms * 1000), "cpu µs/call", Math.round((u2.user + u2.system) / n));
server.kill();
