import { type RecordedRequest, type RecordingServer, startRecordingServer } from "@geminidb-sessions/test-utils";
import { afterEach, beforeEach } from "vitest";
import { type CoreOptions, createCoreFetch, type Logger, type LogLevel, type Sleep } from "../src/index.js";

export const PROJECT = "619d3e78f61b4be68bc5aa0b59edcf7b";
export const INSTANCE = "c865f921f3dd45198f209a607533a779in12";
export const SESSIONS_PATH = `/v3/${PROJECT}/instances/${INSTANCE}/sessions`;
export const AK = "HPUAEXAMPLEAK1234567";
export const SK = "transport-test-secret-key-0123456789";
export const SECURITY_TOKEN = "transport-test-security-token-abcdef";
export const TOKEN = "MIItransport-test-iam-token-value-XYZ";

/** A recording server started before and closed after each test of the file. */
export function useServer(): { readonly server: RecordingServer } {
  const holder: { server?: RecordingServer } = {};
  beforeEach(async () => {
    holder.server = await startRecordingServer();
  });
  afterEach(async () => {
    await holder.server?.close();
  });
  return {
    get server() {
      if (holder.server === undefined) throw new Error("server not started");
      return holder.server;
    },
  };
}

/** A sleep that records the delays asked for and returns at once. */
export function recordingSleep(): { sleep: Sleep; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    sleep: async (ms) => {
      delays.push(ms);
    },
  };
}

/** A logger that keeps every line. */
export function recordingLogger(): { logger: Logger; lines: Array<{ level: LogLevel; message: string; details: unknown }> } {
  const lines: Array<{ level: LogLevel; message: string; details: unknown }> = [];
  return { lines, logger: (level, message, details) => lines.push({ level, message, details }) };
}

/** A core fetch against `server`, with retries that do not wait, unless told otherwise. */
export function coreFetchFor(server: RecordingServer, options: Partial<CoreOptions> = {}) {
  return createCoreFetch({
    endpoint: server.url,
    credentials: { token: TOKEN },
    runtime: { sleep: recordingSleep().sleep, random: () => 0.5 },
    ...options,
  });
}

/** DELETE the sessions path through `coreFetch`. */
export function closeSessions(coreFetch: ReturnType<typeof createCoreFetch>, server: RecordingServer, init: RequestInit = {}) {
  return coreFetch(`${server.url}${SESSIONS_PATH}`, { method: "DELETE", ...init });
}

/** The request as `verifySignature` wants it. */
export function asReceived(request: RecordedRequest) {
  return { method: request.method, rawTarget: request.rawUrl, headers: request.headers, body: request.body };
}

/** The rejection of `promise` (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}
