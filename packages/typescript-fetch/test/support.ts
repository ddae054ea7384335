import { type RecordingServer, startRecordingServer } from "@geminidb-sessions/test-utils";
import { afterEach, beforeEach } from "vitest";
import { createSessionsApi, type SessionsApi, type SessionsApiOptions } from "../src/index.js";

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

/** An API on the test server, with instant backoff so retry tests do not wait. */
export function apiFor(server: RecordingServer, options: Partial<SessionsApiOptions> = {}): SessionsApi {
  return createSessionsApi({
    projectId,
    endpoint: server.url,
    credentials: { token },
    runtime: { sleep: async () => {} },
    ...options,
  });
}

/** The three generated entry points of the operation, each called the way its users would. */
export const entryPoints = {
  closeInstanceSessions: (api: SessionsApi, input: Parameters<SessionsApi["closeInstanceSessions"]>[0], init?: RequestInit) =>
    api.closeInstanceSessions(input, init),
  closeInstanceSessionsRaw: (api: SessionsApi, input: Parameters<SessionsApi["closeInstanceSessions"]>[0], init?: RequestInit) =>
    api.closeInstanceSessionsRaw(input, init),
} as const;

export const entryPointNames = Object.keys(entryPoints) as (keyof typeof entryPoints)[];

/** The settled rejection of `promise` (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (error: unknown) => error,
  );
}
