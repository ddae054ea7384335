import { inspect } from "node:util";
import { json, sequence } from "@geminidb-sessions/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createBareSessionsClient } from "../src/index.js";
import { accessKey, clientFor, instanceId, projectId, secretKey, securityToken, token, useServer } from "./support.js";

// Scrubbing errors and log lines is core's (packages/core/test/redaction.test.ts); this file
// keeps what the client adds: its own inspect/JSON output, and printing nothing of its own.
const ctx = useServer();
const secrets = [token, secretKey, securityToken];

describe("secrets never leak from the client", () => {
  let printed: string[];
  beforeEach(() => {
    printed = [];
    const capture = (chunk: unknown) => {
      printed.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, "write").mockImplementation(capture);
    vi.spyOn(process.stderr, "write").mockImplementation(capture);
    for (const method of ["log", "info", "warn", "error", "debug"] as const) vi.spyOn(console, method).mockImplementation(capture);
  });
  afterEach(() => vi.restoreAllMocks());

  it.each([
    ["token", { token }],
    ["AK/SK with security token", { accessKey, secretKey, securityToken }],
  ])(
    "with %s credentials: not in inspect or JSON of the client (full or bare), and nothing printed during a failing call",
    async (_label, credentials) => {
      ctx.server.respondWith(
        sequence(
          json(503, { error_code: "APIGW.0202", error_msg: "down" }),
          json(401, { error_code: "APIGW.0301", error_msg: "Incorrect IAM authentication information" }),
        ),
      );
      const client = clientFor(ctx.server, { credentials, maxRetries: 1 });
      expect(await client.closeInstanceSessions({ instanceId }).catch((e: unknown) => e)).toBeInstanceOf(Error);
      const bare = createBareSessionsClient({ projectId, endpoint: ctx.server.url, credentials });

      for (const shown of [inspect(client, { depth: 10 }), JSON.stringify(client), inspect(bare, { depth: 10 }), JSON.stringify(bare)]) {
        expect(shown).toContain(projectId);
        for (const secret of secrets) expect(shown.includes(secret), `leaks a secret: ${shown.slice(0, 200)}`).toBe(false);
      }
      expect(printed).toEqual([]);
    },
  );
});
