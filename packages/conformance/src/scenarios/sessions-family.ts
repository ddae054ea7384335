import { ValidationError } from "@geminidb-sessions/core";
import { demoIds } from "@geminidb-sessions/emulator";
import { type OperationId, operations } from "@geminidb-sessions/validation";
import { defaultInput } from "../run-scenario.js";
import type { Scenario } from "../scenario.js";

const [first] = demoIds.nodes.redisProxy;
const operationIds = Object.keys(operations) as OperationId[];

/** What each operation's success body looks like on the demo world (arrays by length), for the default input. */
const demoShapes: Record<OperationId, string> = {
  listInstanceSessions: '{"node_sessions":"[3]"}',
  closeInstanceSessions: "{}",
  listNodeSessions: '{"sessions":"[3]","total_count":3}',
  getNodeSessionStatistics: '{"active_connection_count":3,"top_dbs":"[2]","top_source_ips":"[3]","total_connection_count":3}',
  closeNodeSessions: "{}",
};

/** Sessions left on the demo instance (3 + 4 + 5) after each operation's default call. */
const sessionsAfter: Record<OperationId, number> = {
  listInstanceSessions: 12,
  closeInstanceSessions: 0,
  listNodeSessions: 12,
  getNodeSessionStatistics: 12,
  closeNodeSessions: 9,
};

/** The IDs of each path parameter a scenario may set wrong, by input name: an unknown one and a malformed one. */
const unknownIds: Record<string, { value: string; code: "DBS.200002" | "DBS.200013"; errorClass: string }> = {
  instanceId: { value: demoIds.unknownInstanceId, code: "DBS.200002", errorClass: "NotFoundError" },
  nodeId: { value: demoIds.unknownNodeId, code: "DBS.200013", errorClass: "NotFoundError" },
};

function pathKeys(operationId: OperationId): string[] {
  return operations[operationId].parameters.filter((p) => p.in === "path" && p.key !== "projectId").map((p) => p.key);
}

/**
 * The sessions family, generated from the operations table: for every operation of the spec,
 * success on the demo world, a 404 for an unknown ID, a ValidationError for a malformed one
 * (nothing sent), 401 for a refused token and a throttled call retried; then paging edges,
 * body rules and the proxy-cluster-only close.
 */
export const sessionsFamilyScenarios: Scenario[] = [
  ...operationIds.flatMap((operationId): Scenario[] => [
    {
      name: `${operationId}: succeeds on the demo world`,
      operationId,
      expected: {
        phase: "call",
        result: "resolved",
        requestIdPresent: true,
        data: demoShapes[operationId],
        requests: 1,
        sessionsLeft: sessionsAfter[operationId],
      },
    },
    ...pathKeys(operationId).flatMap((key): Scenario[] => {
      const unknown = unknownIds[key];
      if (!unknown) return [];
      return [
        {
          name: `${operationId}: an unknown ${key}: ${unknown.code}`,
          operationId,
          input: { ...defaultInput(operationId), [key]: unknown.value },
          expected: { result: "rejected", errorClass: unknown.errorClass, code: unknown.code, status: 404, requests: 1, sessionsLeft: 12 },
        },
        {
          name: `${operationId}: a ${key} holding a slash: ValidationError, nothing sent`,
          operationId,
          input: { ...defaultInput(operationId), [key]: "a/b" },
          expected: { result: "rejected", errorClass: ValidationError.name, field: key, requests: 0, sessionsLeft: 12 },
        },
      ];
    }),
    {
      name: `${operationId}: a refused token: 401 AuthenticationError, not retried`,
      operationId,
      options: () => ({ credentials: { token: "MIInotAKnownToken" } }),
      expected: { result: "rejected", errorClass: "AuthenticationError", code: "APIGW.0301", status: 401, requests: 1 },
    },
    {
      name: `${operationId}: throttled once, then answered`,
      operationId,
      faults: [{ first: 1, effect: { type: "throttle", retryAfter: 1 } }],
      expected: { result: "resolved", requests: 2, data: demoShapes[operationId] },
    },
  ]),
  {
    name: "pages.listNodeSessions walks 5 sessions 2 at a time: 2, 2, 1",
    operationId: "listNodeSessions",
    paginate: true,
    input: { nodeId: demoIds.nodes.redisProxy[2], limit: 2 },
    expected: { result: "resolved", pages: [2, 2, 1], requests: 3 },
  },
  {
    name: "pages.listNodeSessions on a node with exactly one full page asks once",
    operationId: "listNodeSessions",
    paginate: true,
    input: { nodeId: first, limit: 3 },
    expected: { result: "resolved", pages: [3], requests: 1 },
  },
  {
    name: "pages.listNodeSessions starting past the end asks once and gets an empty page",
    operationId: "listNodeSessions",
    paginate: true,
    input: { nodeId: first, offset: 10 },
    expected: { result: "resolved", pages: [0], requests: 1 },
  },
  {
    name: "pages.listNodeSessions with limit 101: ValidationError on limit, nothing sent",
    operationId: "listNodeSessions",
    paginate: true,
    input: { nodeId: first, limit: 101 },
    expected: { result: "rejected", errorClass: ValidationError.name, field: "limit", requests: 0 },
  },
  {
    name: "closeNodeSessions by ID without session_ids: ValidationError on body, nothing sent",
    operationId: "closeNodeSessions",
    input: { nodeId: first, body: { is_all: false } },
    expected: { result: "rejected", errorClass: ValidationError.name, field: "body", requests: 0, sessionsLeft: 12 },
  },
  {
    name: "closeInstanceSessions on a Redis instance that is not a proxy cluster: 400 DBS.200001",
    operationId: "closeInstanceSessions",
    input: { instanceId: demoIds.instances.redisCluster },
    expected: { result: "rejected", errorClass: "BadRequestError", code: "DBS.200001", status: 400, requests: 1, sessionsLeft: 12 },
  },
  {
    name: "closeInstanceSessions with node_id closes that node only",
    operationId: "closeInstanceSessions",
    input: { instanceId: demoIds.instances.redisProxy, nodeId: first },
    expected: { result: "resolved", requests: 1, sessionsLeft: 9 },
  },
];
