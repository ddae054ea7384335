// Messages between the per-call orchestrator and its child processes (over fork's IPC channel).

export type Auth = "token" | "aksk";

/** The fixed world every alternative talks to: the tiny server's URL and one project/instance/credential set. */
export interface Target {
  url: string;
  projectId: string;
  instanceId: string;
  token: string;
  accessKey: string;
  secretKey: string;
  /** The node the list operations read (the emulator's, holding `pageSize` × pages sessions). */
  nodeId?: string;
}

/**
 * What one call is: `close` is `closeInstanceSessions` (DELETE); `list-node` one page of
 * `listNodeSessions` (GET, offset 0, limit 100); `walk-node` every page of the node's
 * sessions, 100 at a time, until `total_count`.
 */
export type Operation = "close" | "list-node" | "walk-node";

/** The page size of `list-node` and `walk-node` (the API's maximum). */
export const PAGE_SIZE = 100;

export type AlternativeKey = "raw-http" | "raw-fetch" | "client" | "client-global-fetch" | "typescript-fetch" | "vendor-sdk";

export interface SetupMessage {
  type: "setup";
  alternative: AlternativeKey;
  auth: Auth;
  /** `close` when absent. */
  operation?: Operation;
  target: Target;
}

export interface RunMessage {
  type: "run";
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** A cap on calls per run, whatever the duration: every loop is bounded in count and time. */
  maxCalls: number;
}

export type ToWorker = SetupMessage | RunMessage;

export interface RunResult {
  type: "result";
  calls: number;
  errors: number;
  firstError?: string;
  seconds: number;
  /** User + system CPU of the worker process during the timed part, in microseconds. */
  cpuMicros: number;
}

export type FromWorker = { type: "ready" } | { type: "failed"; message: string } | RunResult;

/** How the tiny server classified the requests it answered since the last reset. */
export interface ServerCounts {
  token: number;
  aksk: number;
  none: number;
  wrongRoute: number;
}

export type ToServer = { type: "reset" } | { type: "counts" };
export type FromServer = { type: "listening"; port: number } | { type: "counts"; counts: ServerCounts };
