import { beforeAll, describe, expect, it } from "vitest";
import { specValidator } from "./support/check-examples.js";
import { deref, HTTP_METHODS, isJsonObject, type JsonObject, loadSpecDocument, pointerTo } from "./support/openapi-document.js";

/** The operations the spec must describe, as the lead named them (operationId -> method and path). */
const OPERATIONS = {
  closeInstanceSessions: { method: "delete", path: "/v3/{project_id}/instances/{instance_id}/sessions", vendor: "ClearInstanceSessions" },
  listInstanceSessions: { method: "get", path: "/v3/{project_id}/instances/{instance_id}/sessions", vendor: "ListInstanceSessions" },
  listNodeSessions: { method: "get", path: "/v3/{project_id}/redis/nodes/{node_id}/sessions", vendor: "ListInstancesSession" },
  getNodeSessionStatistics: {
    method: "get",
    path: "/v3/{project_id}/redis/nodes/{node_id}/session-statistics",
    vendor: "ListInstancesSessionStatistics",
  },
  closeNodeSessions: { method: "delete", path: "/v3/{project_id}/redis/nodes/{node_id}/sessions", vendor: "DeleteInstancesSession" },
} as const;

interface FoundOperation {
  path: string;
  method: string;
  operation: JsonObject;
  /** Path-level and operation-level parameters, resolved. */
  parameters: JsonObject[];
}

function operationsOf(doc: JsonObject): Map<string, FoundOperation> {
  const found = new Map<string, FoundOperation>();
  const paths = isJsonObject(doc.paths) ? doc.paths : {};
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = deref(doc, rawItem, pointerTo(["paths", path])).node;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isJsonObject(operation) || typeof operation.operationId !== "string") continue;
      const own = Array.isArray(operation.parameters) ? operation.parameters : [];
      const parameters = [...shared, ...own].map((p, i) => deref(doc, p, `${pointerTo(["paths", path, method])}/parameters/${i}`).node);
      found.set(operation.operationId, { path, method, operation, parameters });
    }
  }
  return found;
}

const errorStatuses = (operation: JsonObject) =>
  Object.keys(isJsonObject(operation.responses) ? operation.responses : {})
    .filter((s) => /^[45]/.test(s))
    .sort();

let doc: JsonObject;
let operations: Map<string, FoundOperation>;
beforeAll(async () => {
  doc = await loadSpecDocument();
  operations = operationsOf(doc);
});

function operation(id: keyof typeof OPERATIONS): FoundOperation {
  const found = operations.get(id);
  if (!found) throw new Error(`The spec has no operation ${id}`);
  return found;
}

describe("the sessions family in the spec", () => {
  it("has exactly the five operations, each at its method and path, naming the vendor's operation", () => {
    expect([...operations.keys()].sort()).toEqual(Object.keys(OPERATIONS).sort());
    for (const [id, expected] of Object.entries(OPERATIONS)) {
      const found = operation(id as keyof typeof OPERATIONS);
      expect({ method: found.method, path: found.path }, id).toEqual({ method: expected.method, path: expected.path });
      expect(found.operation["x-vendor-operation-id"], id).toBe(expected.vendor);
      expect(isJsonObject(found.operation["x-iam-action"]), `${id} has x-iam-action`).toBe(true);
    }
  });

  it("gives every operation the same security alternatives and the same error responses", () => {
    const reference = operation("closeInstanceSessions").operation;
    for (const id of Object.keys(OPERATIONS)) {
      const found = operation(id as keyof typeof OPERATIONS).operation;
      expect(found.security, id).toEqual(reference.security);
      expect(errorStatuses(found), id).toEqual(errorStatuses(reference));
    }
  });

  it("offers the optional node_id query on both instance-scoped operations", () => {
    for (const id of ["closeInstanceSessions", "listInstanceSessions"] as const) {
      const nodeId = operation(id).parameters.find((p) => p.name === "node_id");
      expect(nodeId, id).toMatchObject({ in: "query", required: false });
    }
  });

  it("pages listNodeSessions with offset, limit and addr_prefix, and x-pagination names them and the body's fields", () => {
    const { operation: op, parameters } = operation("listNodeSessions");
    const byName = new Map(parameters.map((p) => [p.name, p]));
    expect(byName.get("offset")).toMatchObject({ in: "query", schema: { type: "integer", minimum: 0, default: 0 } });
    expect(byName.get("limit")).toMatchObject({ in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 50 } });
    expect(byName.get("addr_prefix")).toMatchObject({ in: "query", schema: { type: "string" } });
    expect(byName.get("X-Language")).toMatchObject({ in: "header", required: false });

    const pagination = op["x-pagination"] as Record<string, string>;
    expect(pagination).toMatchObject({ offset: "offset", limit: "limit", items: "sessions", total: "total_count" });
    expect(byName.get(pagination.offset)?.in).toBe("query");
    expect(byName.get(pagination.limit)?.in).toBe("query");
    const ok = (op.responses as JsonObject)["200"] as JsonObject;
    const schemaRef = ((ok.content as JsonObject)["application/json"] as JsonObject).schema;
    const body = deref(doc, schemaRef, "200 schema").node;
    expect(body.required).toEqual(expect.arrayContaining([pagination.items, pagination.total]));
    const properties = body.properties as Record<string, JsonObject>;
    expect(properties[pagination.items as string]?.type).toBe("array");
    expect(properties[pagination.total as string]?.type).toBe("integer");
  });
});

describe("the spec's schemas enforce the documented rules (Ajv, JSON Schema 2020-12)", () => {
  const body = "#/components/schemas/CloseNodeSessionsRequest";

  it.each([
    ["close every session", { is_all: true }],
    ["close two sessions by ID", { is_all: false, session_ids: ["1131", "2323"] }],
    ["is_all true with IDs (the service closes all)", { is_all: true, session_ids: ["1131"] }],
  ])("accepts a close-node body that would %s", (_, value) => {
    expect(specValidator(doc).errorsOf(body, value)).toBeUndefined();
  });

  it.each([
    ["is_all false without session_ids", { is_all: false }, /session_ids/],
    ["is_all false with an empty session_ids", { is_all: false, session_ids: [] }, /fewer than 1 items/],
    ["no is_all", { session_ids: ["1131"] }, /is_all/],
    ["is_all as a string", { is_all: "false", session_ids: ["1131"] }, /boolean/],
    ["an empty session ID", { is_all: false, session_ids: [""] }, /fewer than 1 characters/],
    ["an unknown field", { is_all: true, force: true }, /additional properties/],
  ])("rejects a close-node body with %s", (_, value, message) => {
    expect(specValidator(doc).errorsOf(body, value)).toMatch(message);
  });

  it("bounds limit to 1..100 and offset to >= 0", () => {
    const validator = specValidator(doc);
    const limit = "#/components/parameters/Limit/schema";
    const offset = "#/components/parameters/Offset/schema";
    for (const good of [1, 50, 100]) expect(validator.errorsOf(limit, good)).toBeUndefined();
    for (const bad of [0, 101, 1.5]) expect(validator.errorsOf(limit, bad)).toBeDefined();
    expect(validator.errorsOf(offset, 0)).toBeUndefined();
    expect(validator.errorsOf(offset, -1)).toBeDefined();
  });

  it("takes node IDs of the documented shape and nothing that could change the route", () => {
    const validator = specValidator(doc);
    const nodeId = "#/components/schemas/NodeId";
    expect(validator.errorsOf(nodeId, "784b3fb7bac14bc490659950dd4f022fno12")).toBeUndefined();
    for (const bad of ["784b3fb7bac14bc490659950dd4f022fno12#x", "c865f921f3dd45198f209a607533a779in12", "../sessions", ""]) {
      expect(validator.errorsOf(nodeId, bad), bad).toBeDefined();
    }
  });

  it("keeps the statistics' top lists to ten entries", () => {
    const validator = specValidator(doc);
    const entry = { client_ip: "192.168.0.1", connection_count: 1 };
    const stats = (n: number) => ({
      total_connection_count: n,
      active_connection_count: 0,
      top_source_ips: Array(n).fill(entry),
      top_dbs: [],
    });
    expect(validator.errorsOf("#/components/schemas/NodeSessionStatistics", stats(10))).toBeUndefined();
    expect(validator.errorsOf("#/components/schemas/NodeSessionStatistics", stats(11))).toMatch(/more than 10 items/);
  });
});
