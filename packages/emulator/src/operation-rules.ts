import type { ErrorCode } from "@geminidb-sessions/validation";

/**
 * How the emulated service judges an instance or node before acting on its sessions. These
 * are the emulator's own modelling choices (the spec gives codes, not instance vocabularies).
 */
export const operationRules = {
  /** The only engine the sessions operations support. */
  engine: "redis",
  /** The only deployment mode `closeInstanceSessions` supports (the node-scoped operations take any Redis instance). */
  mode: "proxy-cluster",
  /** The instance status that allows closing sessions. */
  availableStatus: "available",
  /** Instance statuses answered as "busy or faulty" (DBS.200019); every other non-available status is DBS.200011. */
  busyStatuses: ["busy", "abnormal"],
  /** The node status that allows the operations. */
  normalNodeStatus: "normal",
  /** A node with this status answers DBS.200013; any other non-normal node status answers DBS.200018. */
  missingNodeStatus: "missing",
  /** How DBS.200011's `{1}` names the operation (as in the spec's example message). */
  operationLabel: "clearSessions",
} as const;

/** The message the emulator gives DBS.200001 when an instance is not a proxy cluster (the service's own wording is not documented). */
export const proxyClusterOnlyMessage =
  "Parameter error. Closing the sessions of all nodes supports GeminiDB Redis proxy-cluster instances only; use closeNodeSessions for other instances.";

/** What the rules need to know about an instance. */
export interface JudgedInstance {
  id: string;
  projectId: string;
  engine: string;
  mode: string;
  status: string;
  nodes: ReadonlyArray<{ id: string; status: string }>;
}

/** Why an operation is refused: a catalog code, its message arguments, and a message of the emulator's own when the catalog's says too little. */
export interface Refusal {
  code: ErrorCode;
  args?: string[];
  message?: string;
}

/** What an operation does to an instance: reading its sessions or closing them (closing checks the instance's state too). */
export type Access = "read" | "close" | "close-all-nodes";

/**
 * Decides whether the service acts on the instance's sessions for a caller acting on
 * `projectId`, checking in this order: ownership (DBS.200010), engine (DBS.200001), for the
 * instance-wide close the proxy-cluster mode (DBS.200001 with a message that says so), for
 * closes the instance status (DBS.200019 busy or faulty, DBS.200011 any other state), then the
 * nodes acted on (DBS.200013 missing, DBS.200018 unavailable).
 */
export function judgeInstance(
  instance: JudgedInstance,
  projectId: string,
  access: Access,
  nodes: ReadonlyArray<{ status: string }> = instance.nodes,
): Refusal | undefined {
  if (instance.projectId !== projectId) return { code: "DBS.200010" };
  if (instance.engine !== operationRules.engine) return { code: "DBS.200001" };
  if (access === "close-all-nodes" && instance.mode !== operationRules.mode)
    return { code: "DBS.200001", message: proxyClusterOnlyMessage };
  if (access !== "read" && instance.status !== operationRules.availableStatus) {
    if ((operationRules.busyStatuses as readonly string[]).includes(instance.status)) return { code: "DBS.200019" };
    return { code: "DBS.200011", args: [instance.id, operationRules.operationLabel] };
  }
  if (nodes.length === 0 || nodes.some((node) => node.status === operationRules.missingNodeStatus)) return { code: "DBS.200013" };
  if (nodes.some((node) => node.status !== operationRules.normalNodeStatus)) return { code: "DBS.200018" };
  return undefined;
}
