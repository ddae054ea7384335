import { json } from "@geminidb-sessions/test-utils";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../src/index.js";
import { clientFor, useServer } from "./support.js";

const ctx = useServer();
const nodeId = "784b3fb7bac14bc490659950dd4f022fno12";

/*
 * Found in review of the direct path (#15): a header parameter's value that HTTP cannot carry is not
 * checked by the input checks; the direct path then reports a ConnectionError ("Could not reach", after
 * every retry) and the openapi-fetch path a bare TypeError, where a ValidationError naming the field is due.
 */
describe("a header parameter value HTTP cannot carry", () => {
  for (const [path, middleware] of [
    ["the direct path (no middleware)", undefined],
    ["the openapi-fetch path (a no-op middleware)", [{ onRequest() {} }]],
  ] as const) {
    for (const value of ["en-us\r\nX-Injected: 1", "zh-cn\u{1F600}"]) {
      it(`is a ValidationError naming xLanguage before anything is sent, on ${path}: ${JSON.stringify(value)}`, async () => {
        const { server } = ctx;
        server.respondWith(json(200, { sessions: [], total_count: 0 }));
        const client = clientFor(server, { maxRetries: 2, ...(middleware ? { middleware: [...middleware] } : {}) });
        const error = await client.listNodeSessions({ nodeId, xLanguage: value }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).message).toMatch(/xLanguage/);
        expect(server.requests).toHaveLength(0);
      });
    }
  }
});
