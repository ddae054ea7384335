// Type-level tests of the openapi-typescript output, checked by `tsc` in the
// typecheck task: a wrong assertion or an unused @ts-expect-error fails it.
import createClient from "openapi-fetch";
import { expectTypeOf } from "vitest";
import type { components, operations, paths } from "../src/index.js";

type SessionsPath = "/v3/{project_id}/instances/{instance_id}/sessions";
type NodeSessionsPath = "/v3/{project_id}/redis/nodes/{node_id}/sessions";
type ClearSessions = operations["closeInstanceSessions"];

expectTypeOf<keyof paths>().toEqualTypeOf<SessionsPath | NodeSessionsPath | "/v3/{project_id}/redis/nodes/{node_id}/session-statistics">();
expectTypeOf<paths[SessionsPath]["delete"]>().toEqualTypeOf<ClearSessions>();
expectTypeOf<paths[SessionsPath]["get"]>().toEqualTypeOf<operations["listInstanceSessions"]>();
expectTypeOf<paths[SessionsPath]["put"]>().toEqualTypeOf<undefined>();
expectTypeOf<operations["closeNodeSessions"]["requestBody"]["content"]["application/json"]>().toEqualTypeOf<
  components["schemas"]["CloseNodeSessionsRequest"]
>();
expectTypeOf<NonNullable<operations["listNodeSessions"]["parameters"]["query"]>>().toEqualTypeOf<{
  offset?: number;
  limit?: number;
  addr_prefix?: string;
}>();
expectTypeOf<ClearSessions["parameters"]["path"]>().toEqualTypeOf<{ project_id: string; instance_id: string }>();
expectTypeOf<ClearSessions["responses"][200]["content"]["application/json"]>().toEqualTypeOf<Record<string, never>>();
expectTypeOf<ClearSessions["responses"][404]>().toEqualTypeOf<components["responses"]["NotFound"]>();
expectTypeOf<components["schemas"]["ErrorBody"]>().toEqualTypeOf<
  components["schemas"]["ServiceError"] | components["schemas"]["GatewayError"]
>();
expectTypeOf<components["schemas"]["ServiceError"]>().toEqualTypeOf<{
  error_code: string;
  error_msg: string;
  request_id?: string;
  encoded_authorization_message?: string;
}>();
expectTypeOf<components["schemas"]["GatewayError"]["error"]>().toEqualTypeOf<{
  code: string;
  message: string;
  request_id?: string;
  encoded_authorization_message?: string;
}>();

const raw = createClient<paths>({ baseUrl: "http://127.0.0.1:1" });
const path = { project_id: "619d3e78f61b4be68bc5aa0b59edcf7b", instance_id: "c865f921f3dd45198f209a607533a779in12" };

export async function typeChecks(): Promise<void> {
  const { data, error } = await raw.DELETE("/v3/{project_id}/instances/{instance_id}/sessions", { params: { path } });
  // openapi-fetch narrows the spec's empty-object body (Record<string, never>) to {}.
  // biome-ignore lint/complexity/noBannedTypes: asserting the exact type openapi-fetch produces
  expectTypeOf(data).toEqualTypeOf<{} | undefined>();
  // 500 and 503 may be a proxy's HTML page (the spec says so), so the error body may be text.
  expectTypeOf(error).toEqualTypeOf<components["schemas"]["ErrorBody"] | string | undefined>();

  // @ts-expect-error instance_id is required
  await raw.DELETE("/v3/{project_id}/instances/{instance_id}/sessions", { params: { path: { project_id: path.project_id } } });
  // @ts-expect-error the path parameters are project_id and instance_id, not camelCase
  await raw.DELETE("/v3/{project_id}/instances/{instance_id}/sessions", { params: { path: { projectId: "p", instanceId: "i" } } });
  // @ts-expect-error the API has no PUT on this path
  await raw.PUT("/v3/{project_id}/instances/{instance_id}/sessions", { params: { path } });
  // @ts-expect-error no other path exists
  await raw.DELETE("/v3/{project_id}/instances/{instance_id}", { params: { path } });
}
