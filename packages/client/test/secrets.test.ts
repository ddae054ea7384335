import { inspect } from "node:util";
import { json, sequence } from "@geminidb-sessions/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { accessKey, clientFor, instanceId, secretKey, securityToken, token, useServer } from "./support.js";

const ctx = useServer();
const secrets = [token, secretKey, securityToken];

function expectNoSecret(text: string, where: string): void {
  for (const secret of secrets) expect(text.includes(secret), `${where} leaks a secret: ${text.slice(0, 200)}`).toBe(false);
}

describe("secrets never leak", () => {
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
  ])("with %s credentials: not in errors, inspect, JSON or log lines, and nothing printed", async (_label, credentials) => {
    const lines: string[] = [];
    const logger = (level: string, message: string, details?: unknown) =>
      void lines.push(`${level} ${message} ${JSON.stringify(details)} ${inspect(details)}`);
    ctx.server.respondWith(
      sequence(
        json(503, { error_code: "APIGW.0202", error_msg: "down" }),
        json(401, { error_code: "APIGW.0301", error_msg: "Incorrect IAM authentication information" }),
      ),
    );
    const client = clientFor(ctx.server, { credentials, logger, maxRetries: 1 });
    const error = await client.closeInstanceSessions({ instanceId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);

    expectNoSecret(String(error), "String(error)");
    expectNoSecret(inspect(error, { depth: 10, showHidden: true }), "inspect(error)");
    expectNoSecret(JSON.stringify(error), "JSON.stringify(error)");
    expectNoSecret((error as Error).stack ?? "", "error.stack");
    expectNoSecret(inspect(client, { depth: 10 }), "inspect(client)");
    expectNoSecret(JSON.stringify(client), "JSON.stringify(client)");
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expectNoSecret(line, "log line");
    expect(lines.join("\n")).toContain("***");
    expect(printed).toEqual([]);
  });
});
