import type { ErrorCode } from "@geminidb-sessions/validation";

/**
 * How the emulated service judges an instance before closing its sessions. These are the
 * emulator's own modelling choices (the spec gives codes, not instance vocabularies).
 */
export const operationRules = {
  /** The only engine the operation supports. */
  engine: "redis",
  /** The only deployment mode the operation supports. */
  mode: "proxy-cluster",
  /** The instance status that allows the operation. */
  availableStatus: "available",
  /** Instance statuses answered as "busy or faulty" (DBS.200019); every other non-available status is DBS.200011. */
  busyStatuses: ["busy", "abnormal"],
  /** The node status that allows the operation. */
  normalNodeStatus: "normal",
  /** A node with this status answers DBS.200013; any other non-normal node status answers DBS.200018. */
  missingNodeStatus: "missing",
  /** How DBS.200011's `{1}` names the operation (as in the spec's example message). */
  operationLabel: "clearSessions",
} as const;

/** What the rules need to know about an instance. */
export interface JudgedInstance {
  id: string;
  projectId: string;
  engine: string;
  mode: string;
  status: string;
  nodes: ReadonlyArray<{ status: string }>;
}

/** Why the operation is refused: a catalog code and its message arguments. */
export interface Refusal {
  code: ErrorCode;
  args?: string[];
}

/**
 * Decides whether the service closes the instance's sessions for a caller acting on
 * `projectId`, checking in this order: ownership (DBS.200010), engine and mode
 * (DBS.200001: the instance ID names an instance the operation does not apply to, a
 * parameter error that waiting cannot fix), instance status (DBS.200019 busy or faulty,
 * DBS.200011 any other state), then nodes (DBS.200013 missing, DBS.200018 unavailable).
 */
export function judgeInstance(instance: JudgedInstance, projectId: string): Refusal | undefined {
  if (instance.projectId !== projectId) return { code: "DBS.200010" };
  if (instance.engine !== operationRules.engine || instance.mode !== operationRules.mode) return { code: "DBS.200001" };
  if (instance.status !== operationRules.availableStatus) {
    if ((operationRules.busyStatuses as readonly string[]).includes(instance.status)) return { code: "DBS.200019" };
    return { code: "DBS.200011", args: [instance.id, operationRules.operationLabel] };
  }
  if (instance.nodes.length === 0 || instance.nodes.some((node) => node.status === operationRules.missingNodeStatus)) {
    return { code: "DBS.200013" };
  }
  if (instance.nodes.some((node) => node.status !== operationRules.normalNodeStatus)) return { code: "DBS.200018" };
  return undefined;
}
