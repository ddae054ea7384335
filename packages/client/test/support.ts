import { type RecordingServer, startRecordingServer } from "@geminidb-sessions/test-utils";
import { afterEach, beforeEach } from "vitest";
import { createSessionsClient, type SessionsClientOptions } from "../src/index.js";

export const projectId = "619d3e78f61b4be68bc5aa0b59edcf7b";
export const instanceId = "c865f921f3dd45198f209a607533a779in12";
export const token = "MIIT0kenSecretValue-abc123";
export const accessKey = "HPUAEXAMPLEAK1234567";
export const secretKey = "S3cretKeyNeverPrinted0123456789abcdefGHIJ";
export const securityToken = "gQpjTemporarySecurityTokenSecretValue";

/** Starts a fresh recording server on 127.0.0.1 around every test of the calling file. */
export function useServer(): { readonly server: RecordingServer } {
  const holder = {} as { server: RecordingServer };
  beforeEach(async () => {
    holder.server = await startRecordingServer();
  });
  afterEach(() => holder.server.close());
  return holder;
}

/** A client on the test server, with instant backoff so retry tests do not wait. */
export function clientFor(server: RecordingServer, options: Partial<SessionsClientOptions> = {}) {
  return createSessionsClient({
    projectId,
    endpoint: server.url,
    credentials: { token },
    runtime: { sleep: async () => {} },
    ...options,
  });
}
