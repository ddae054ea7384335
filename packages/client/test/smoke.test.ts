import { json, type RecordingServer, startRecordingServer } from "@geminidb-sessions/test-utils";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSessionsClient } from "../src/index.js";

const projectId = "619d3e78f61b4be68bc5aa0b59edcf7b";
const instanceId = "c865f921f3dd45198f209a607533a779in12";

describe("client smoke test against a real HTTP server on 127.0.0.1", () => {
  let server: RecordingServer;
  beforeEach(async () => {
    server = await startRecordingServer(json(200, {}, { "x-request-id": "smoke-1" }));
  });
  afterEach(() => server.close());

  it("sends DELETE to the generated path with the token and returns the request ID", async () => {
    const client = createSessionsClient({ projectId, endpoint: server.url, credentials: { token: "t0ken" } });
    const result = await client.closeAllSessions({ instanceId });
    expect(result).toEqual({ requestId: "smoke-1" });
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe("DELETE");
    expect(request?.rawUrl).toBe(`/v3/${projectId}/instances/${instanceId}/sessions`);
    expect(request?.headers["x-auth-token"]).toBe("t0ken");
  });

  it("fails when the server answers an error status", async () => {
    server.respondWith(json(404, { error_code: "DBS.200002", error_msg: "The DB instance does not exist." }));
    const client = createSessionsClient({ projectId, endpoint: server.url, credentials: { token: "t0ken" } });
    await expect(client.closeAllSessions({ instanceId })).rejects.toThrow(/HTTP 404/);
  });
});
