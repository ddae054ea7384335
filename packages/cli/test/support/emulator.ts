import { type RequestLogEntry, type RunningEmulator, startEmulator } from "@geminidb-sessions/emulator";

/** An emulator with the demo world, and every request it answered. */
export interface TestEmulator {
  emulator: RunningEmulator;
  requests: RequestLogEntry[];
  /** The environment a token run needs: GEMINIDB_TOKEN and the project ID. */
  tokenEnv: Record<string, string>;
  /** The environment an AK/SK run needs. */
  akSkEnv: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the emulator (in memory, demo world) on a free loopback port. */
export async function startTestEmulator(): Promise<TestEmulator> {
  const requests: RequestLogEntry[] = [];
  const emulator = await startEmulator({ port: 0, log: (entry) => requests.push(entry) });
  const { projectId, token, accessKey, secretKey } = emulator.credentials;
  return {
    emulator,
    requests,
    tokenEnv: { GEMINIDB_TOKEN: token, HUAWEICLOUD_SDK_PROJECT_ID: projectId },
    akSkEnv: { HUAWEICLOUD_SDK_AK: accessKey, HUAWEICLOUD_SDK_SK: secretKey, HUAWEICLOUD_SDK_PROJECT_ID: projectId },
    close: () => emulator.close(),
  };
}
