import { instanceId, projectId, type RecordedRequest, type RecordingServer, token } from "@geminidb-sessions/test-utils";
import { type CoreOptions, createCoreFetch, type Logger, type LogLevel, type Sleep } from "../src/index.js";

export {
  accessKey as AK,
  instanceId as INSTANCE,
  projectId as PROJECT,
  secretKey as SK,
  securityToken as SECURITY_TOKEN,
  token as TOKEN,
  useServer,
} from "@geminidb-sessions/test-utils";
export const SESSIONS_PATH = `/v3/${projectId}/instances/${instanceId}/sessions`;

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
    credentials: { token },
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
