import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { matchRequestTarget, routes } from "../src/handle-api-request.js";
import { demoIds, type RunningEmulator, startEmulator } from "../src/index.js";
import { expectConforming } from "./support/conforming-response.js";
import { rawRequest, requestHead } from "./support/raw-http.js";

const project = demoIds.projectId;
const instance = demoIds.instances.redisProxy;
const good = `/v3/${project}/instances/${instance}/sessions`;

describe("the route", () => {
  it("serves exactly the spec's operations, each at its path and method", () => {
    const spec = parse(readFileSync(new URL("../../../spec/openapi.yaml", import.meta.url), "utf8")) as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    const found = Object.entries(spec.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, operation]) => typeof operation?.operationId === "string")
        .map(([method, operation]) => ({ operationId: operation.operationId, method: method.toUpperCase(), template: path })),
    );
    const byId = (a: { operationId?: string | undefined }, b: { operationId?: string | undefined }) =>
      String(a.operationId).localeCompare(String(b.operationId));
    expect([...routes].sort(byId)).toEqual(found.sort(byId));
  });

  it("matches the exact target and returns the raw parameters and the query", () => {
    const params = { project_id: project, instance_id: instance };
    expect(matchRequestTarget("DELETE", good)).toEqual({ kind: "operation", operationId: "closeInstanceSessions", params, query: {} });
    expect(matchRequestTarget("GET", `${good}?node_id=a&node_id=b`)).toEqual({
      kind: "operation",
      operationId: "listInstanceSessions",
      params,
      query: { node_id: "a" },
    });
  });

  it.each([
    ["a trailing slash", `${good}/`],
    ["a doubled slash", `/v3//${project}/instances/${instance}/sessions`],
    ["dot segments that would resolve to the route", `/v3/${project}/instances/${instance}/x/../sessions`],
    ["a percent-encoded literal", `/v3/${project}/instances/${instance}/%73essions`],
    ["an extra segment", `${good}/extra`],
  ])("refuses %s as no route", (_name, target) => {
    expect(matchRequestTarget("DELETE", target)).toEqual({ kind: "no-route" });
  });

  it.each([
    ["a fragment", `/v3/${project}/instances/${instance}/sessions#frag`],
    ["a fragment that truncates the path", `/v3/${project}/instances/${instance}#/sessions`],
    ["absolute form", `http://example.com${good}`],
    ["asterisk form", "*"],
    ["a broken percent escape", `/v3/${project}/instances/${instance}%2/sessions`],
    ["a non-ASCII character", `/v3/${project}/instances/${instance}é/sessions`],
  ])("refuses %s as malformed", (_name, target) => {
    expect(matchRequestTarget("DELETE", target)).toEqual({ kind: "malformed" });
  });

  it("hands an encoded slash or dot-dot in a parameter position to the ID check, raw", () => {
    expect(matchRequestTarget("DELETE", `/v3/${project}/instances/a%2Fb/sessions`)).toMatchObject({
      kind: "operation",
      params: { project_id: project, instance_id: "a%2Fb" },
    });
    expect(matchRequestTarget("DELETE", `/v3/${project}/instances/../sessions`)).toMatchObject({
      kind: "operation",
      params: { project_id: project, instance_id: ".." },
    });
  });
});

describe("raw request targets on the wire", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  const send = (target: string) => rawRequest(emu.url, requestHead(emu.url, "DELETE", target, { "X-Auth-Token": demoIds.token }));

  it("never closes sessions for a target that only normalizes to the route", async () => {
    for (const target of [
      `/v3/${project}/instances/${instance}/x/../sessions`,
      `/v3/${project}/instances/./${instance}/sessions`,
      `/v3/${project}/instances/${instance}/sessions/`,
      `/v3/${project}/instances/${instance}%2Fsessions`,
      `/v3/${project}/instances/${instance}/%73essions`,
    ]) {
      expectConforming(await send(target), { status: 404, code: "APIGW.0101" });
    }
    expect(await emu.world.totalSessions(instance)).toBe(12);
  });

  it("400 DBS.200001 for an encoded slash or dot-dot where an ID belongs", async () => {
    expectConforming(await send(`/v3/${project}/instances/..%2F${instance}/sessions`), { status: 400, code: "DBS.200001" });
    expectConforming(await send(`/v3/${project}/instances/../sessions`), { status: 400, code: "DBS.200001" });
    expectConforming(await send(`/v3/${project}/instances/${instance}%00/sessions`), { status: 400, code: "DBS.200001" });
  });

  it("400 APIGW.0201 for a target holding a fragment", async () => {
    expectConforming(await send(`/v3/${project}/instances/${instance}#/sessions`), { status: 400, code: "APIGW.0201" });
    expect(await emu.world.totalSessions(instance)).toBe(12);
  });

  it("200 for the exact target sent raw", async () => {
    expectConforming(await send(good), { status: 200 });
    expect(await emu.world.totalSessions(instance)).toBe(0);
  });
});
