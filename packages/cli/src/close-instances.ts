import { createSessionsClient, type SessionsClientOptions } from "@geminidb-sessions/client";
import { forEachBounded } from "./bounded-concurrency.js";
import { closedResult, failedResult, type InstanceResult } from "./instance-result.js";

/** What the run reports while it works (the progress display listens). */
export interface CloseListener {
  started(instanceId: string): void;
  /** The client is about to retry a failed attempt, after `delayMs`. */
  retrying(instanceId: string, reason: string, delayMs: number): void;
  finished(result: InstanceResult): void;
}

/** What {@link closeInstances} needs. */
export interface CloseRun {
  clientOptions: SessionsClientOptions;
  instanceIds: readonly string[];
  concurrency: number;
  /** Values to mask in any message. */
  secrets: readonly string[];
  listener: CloseListener;
  /** Aborting it abandons requests in flight and starts no more. */
  signal?: AbortSignal | undefined;
}

/**
 * Closes every session of each instance, at most `concurrency` at a time, with the
 * client's timeouts and retries. Never throws: each instance gets a result, in the
 * order given.
 */
export async function closeInstances(run: CloseRun): Promise<InstanceResult[]> {
  const results: InstanceResult[] = new Array(run.instanceIds.length);
  await forEachBounded(run.instanceIds, run.concurrency, async (instanceId, index) => {
    let result: InstanceResult;
    if (run.signal?.aborted) {
      result = { instanceId, status: "aborted", message: "interrupted before it was sent" };
    } else {
      run.listener.started(instanceId);
      // One client per instance, so its retry log lines name the instance they are about.
      const client = createSessionsClient({
        ...run.clientOptions,
        logger: (level, _message, details) => {
          const delayMs = details?.delayMs;
          if (level === "info" && typeof delayMs === "number")
            run.listener.retrying(instanceId, String(details?.reason ?? "error"), delayMs);
        },
      });
      try {
        const { requestId } = await client.closeAllSessions({ instanceId, signal: run.signal });
        result = closedResult(instanceId, requestId);
      } catch (error) {
        result = failedResult(instanceId, error, run.secrets);
      }
    }
    results[index] = result;
    run.listener.finished(result);
  });
  return results;
}
