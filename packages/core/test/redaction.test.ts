import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { hang, json, raw, sequence } from "@geminidb-sessions/test-utils";
import { describe, expect, it } from "vitest";
import { type CoreOptions, type Credentials, createCoreFetch, redactHeaders, resolveCoreOptions } from "../src/index.js";
import { AK, closeSessions, coreFetchFor, recordingLogger, SECURITY_TOKEN, SK, TOKEN, useServer } from "./helpers.js";

const ctx = useServer();

/** Every way a value could show a secret to a person or a log. */
function renderings(value: unknown): string[] {
  const out = [String(value), inspect(value, { depth: 10 }), inspect(value, { depth: 10, showHidden: true }), JSON.stringify(value) ?? ""];
  if (value instanceof Error) out.push(value.message, value.stack ?? "");
  return out;
}

function expectNoSecret(texts: string[], secrets: readonly string[]): void {
  for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
}

describe("redactHeaders", () => {
  it("masks the credential headers in every header shape", () => {
    const expected = { "x-auth-token": "***", authorization: "***", "x-security-token": "***", accept: "application/json" };
    const record = {
      "X-Auth-Token": TOKEN,
      Authorization: `SDK-HMAC-SHA256 Access=${AK}`,
      "X-Security-Token": SECURITY_TOKEN,
      Accept: "application/json",
    };
    expect(redactHeaders(record)).toEqual(expected);
    expect(redactHeaders(new Headers(record))).toEqual(expected);
    expect(redactHeaders(Object.entries(record))).toEqual(expected);
    expect(redactHeaders({ "x-auth-token": [TOKEN, TOKEN], accept: "application/json" })).toEqual({
      "x-auth-token": "***",
      accept: "application/json",
    });
  });
});

describe("no secret ever shows", () => {
  const modes: Array<[string, Credentials, string[]]> = [
    ["token", { token: TOKEN }, [TOKEN]],
    ["token provider", { token: async () => TOKEN }, [TOKEN]],
    ["AK/SK with security token", { accessKey: AK, secretKey: SK, securityToken: SECURITY_TOKEN }, [SK, SECURITY_TOKEN]],
  ];

  for (const [mode, credentials, secrets] of modes) {
    it(`in errors, options and log lines (${mode})`, async () => {
      const { server } = ctx;
      const { logger, lines } = recordingLogger();
      const options: Partial<CoreOptions> = { credentials, logger, timeoutMs: 50, maxRetries: 1 };
      const collected: unknown[] = [];
      const attempt = async (responder: Parameters<typeof server.respondWith>[0]) => {
        server.respondWith(responder);
        try {
          await closeSessions(coreFetchFor(server, options), server);
        } catch (error) {
          collected.push(error);
        }
      };
      // A gateway that echoes the credential it refused, in both body forms and as HTML.
      await attempt(json(401, { error_code: "APIGW.0301", error_msg: `bad credential ${secrets.join(" ")}` }));
      await attempt(json(400, { error: { code: "APIGW.0201", message: `header was ${secrets.join("")}` } }));
      await attempt(raw(502, `<html><body>${secrets.join(" ")}</body></html>`));
      await attempt(sequence(json(503, {}), json(200, {})));
      await attempt(hang());

      // A connection that fails.
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const refusedFetch = createCoreFetch({
        ...options,
        credentials,
        endpoint: `http://127.0.0.1:${port}`,
        runtime: { sleep: async () => {} },
      });
      await refusedFetch(`http://127.0.0.1:${port}/v3`, { method: "DELETE" }).catch((error: unknown) => collected.push(error));

      // Rejected options.
      try {
        resolveCoreOptions({ credentials, region: "nowhere" });
      } catch (error) {
        collected.push(error);
      }

      expect(collected.length).toBeGreaterThanOrEqual(6);
      for (const error of collected) expectNoSecret(renderings(error), secrets);
      expectNoSecret(renderings(resolveCoreOptions({ region: "cn-north-4", credentials })), secrets);
      expect(lines.length).toBeGreaterThan(0);
      expectNoSecret(
        lines.map((line) => `${line.level} ${line.message} ${JSON.stringify(line.details)} ${inspect(line.details, { depth: 10 })}`),
        secrets,
      );
      // The secrets did reach the server, where they belong.
      const sent = server.requests.map((request) => JSON.stringify(request.headers)).join("\n");
      expect(sent).toContain(mode.startsWith("AK/SK") ? SECURITY_TOKEN : TOKEN);
    });
  }

  it("logs request and response lines with the credential headers masked", async () => {
    const { server } = ctx;
    const { logger, lines } = recordingLogger();
    server.respondWith(json(200, {}, { "x-request-id": "req-logged" }));
    await closeSessions(
      coreFetchFor(server, { logger, credentials: { accessKey: AK, secretKey: SK, securityToken: SECURITY_TOKEN } }),
      server,
    );
    const request = lines.find((line) => line.message.startsWith("request DELETE"));
    const response = lines.find((line) => line.message.startsWith("response 200"));
    if (request === undefined) throw new Error("no request line logged");
    expect(request.level).toBe("debug");
    const headers = (request.details as { headers: Record<string, string> }).headers;
    expect(headers.authorization).toBe("***");
    expect(headers["x-security-token"]).toBe("***");
    expect(headers["x-sdk-date"]).toMatch(/^\d{8}T\d{6}Z$/);
    expect(response?.details).toMatchObject({ status: 200, requestId: "req-logged" });
  });

  it("accepts a console-like logger object and survives one that throws", async () => {
    const { server } = ctx;
    const seen: string[] = [];
    const objectLogger = { debug: (message: string) => seen.push(message) };
    await closeSessions(coreFetchFor(server, { logger: objectLogger }), server);
    expect(seen.some((message) => message.startsWith("request DELETE"))).toBe(true);
    const throwing = () => {
      throw new Error("logger broke");
    };
    expect((await closeSessions(coreFetchFor(server, { logger: throwing }), server)).status).toBe(200);
  });
});
