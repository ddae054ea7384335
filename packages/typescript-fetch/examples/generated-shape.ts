import { createSessionsApi } from "@geminidb-sessions/typescript-fetch";

const projectId = "619d3e78f61b4be68bc5aa0b59edcf7b";
const api = createSessionsApi({ projectId, region: "cn-north-4", credentials: { token: process.env.GEMINIDB_TOKEN ?? "" } });

// The generated method, its single request-parameter object and the generator's own
// init overrides (a RequestInit to merge, or a function returning one).
const controller = new AbortController();
await api.closeInstanceSessions({ projectId, instanceId: "c865f921f3dd45198f209a607533a779in12" }, { signal: controller.signal });

// projectId defaults to the one given to createSessionsApi.
await api.closeInstanceSessions({ instanceId: "c865f921f3dd45198f209a607533a779in12" });

// The generator's raw variant: its ApiResponse around the 2xx Response.
const response = await api.closeInstanceSessionsRaw({ instanceId: "c865f921f3dd45198f209a607533a779in12" });
console.log(response.raw.status, response.raw.headers.get("x-request-id"));
