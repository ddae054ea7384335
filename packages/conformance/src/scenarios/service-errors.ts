import { apiErrorClassFor } from "@geminidb-sessions/core";
import { demoIds } from "@geminidb-sessions/emulator";
import { errorCatalog } from "@geminidb-sessions/validation";
import type { Scenario } from "../scenario.js";
import { conformanceIds } from "../world.js";

const untouched = 12; // the demo instance's sessions at start (3 + 4 + 5)

/** A refusal the emulator answers from the state of its world (no fault injected). */
function refusal(name: string, instanceId: string, code: keyof typeof errorCatalog, status: number): Scenario {
  const { retryable } = errorCatalog[code];
  return {
    name: `${name}: ${status} ${code}`,
    input: { instanceId },
    expected: {
      result: "rejected",
      errorClass: apiErrorClassFor(status).name,
      status,
      code,
      retryable,
      requestIdPresent: true,
      // A retryable code is tried maxRetries (2) more times.
      requests: retryable ? 3 : 1,
      sessionsLeft: untouched,
    },
  };
}

/** Every catalog code the emulator answers on its own, from the instances of the conformance world. */
export const serviceErrorScenarios: Scenario[] = [
  refusal("an instance that does not exist", demoIds.unknownInstanceId, "DBS.200002", 404),
  refusal("a frozen instance", demoIds.instances.frozen, "DBS.200011", 403),
  refusal("a busy instance (retryable)", demoIds.instances.busy, "DBS.200019", 403),
  refusal("an instance with an abnormal node", demoIds.instances.nodeDown, "DBS.200018", 403),
  refusal("an instance whose node is missing", conformanceIds.missingNode, "DBS.200013", 404),
  refusal("an instance without nodes", conformanceIds.noNodes, "DBS.200013", 404),
  refusal("a Redis instance that is not a proxy cluster", demoIds.instances.redisCluster, "DBS.200001", 400),
  refusal("a Cassandra instance", demoIds.instances.cassandra, "DBS.200001", 400),
  refusal("an instance of another project", demoIds.instances.otherProject, "DBS.200010", 400),
];
