import { json, type RecordingServer, startRecordingServer } from "@geminidb-sessions/test-utils";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSessionsApi, ResponseError } from "../src/index.js";

const projectId = "619d3e78f61b4be68bc5aa0b59edcf7b";
const instanceId = "c865f921f3dd45198f209a607533a779in12";

describe("typescript-fetch smoke test against a real HTTP server on 127.0.0.1", () => {
  let server: RecordingServer;
  beforeEach(async () => {
    server = await startRecordingServer();
  });
  afterEach(() => server.close());

  it("calls the generated clearInstanceSessions with the token", async () => {
    const api = createSessionsApi({ endpoint: server.url, credentials: { token: "t0ken" } });
    await expect(api.clearInstanceSessions({ projectId, instanceId })).resolves.toEqual({});
    const [request] = server.requests;
    expect(request?.method).toBe("DELETE");
    expect(request?.rawUrl).toBe(`/v3/${projectId}/instances/${instanceId}/sessions`);
    expect(request?.headers["x-auth-token"]).toBe("t0ken");
  });

  it("rejects with the generator's ResponseError on an error status", async () => {
    server.respondWith(json(401, { error_code: "APIGW.0301", error_msg: "Incorrect IAM authentication information" }));
    const api = createSessionsApi({ endpoint: server.url, credentials: { token: "t0ken" } });
    const error = await api.clearInstanceSessions({ projectId, instanceId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError).response.status).toBe(401);
  });
});
