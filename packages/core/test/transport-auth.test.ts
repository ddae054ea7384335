import { inspect } from "node:util";
import { json, sequence } from "@geminidb-sessions/test-utils";
import { describe, expect, it } from "vitest";
import {
  AbortError,
  AuthenticationError,
  CredentialsError,
  createCoreFetch,
  formatSdkDate,
  parseAuthorization,
  protectCredentials,
  TimeoutError,
  ValidationError,
} from "../src/index.js";
import { verifySignature } from "../src/server.js";
import {
  AK,
  asReceived,
  closeSessions,
  coreFetchFor,
  INSTANCE,
  PROJECT,
  rejectionOf,
  SECURITY_TOKEN,
  SESSIONS_PATH,
  SK,
  TOKEN,
  useServer,
} from "./helpers.js";

const ctx = useServer();
const refused = json(401, { error_code: "APIGW.0301", error_msg: "Incorrect IAM authentication information" });
const lookup = (ak: string) => (ak === AK ? SK : undefined);

describe("token credentials", () => {
  it("sends a fixed token in X-Auth-Token, with the User-Agent, and returns the Response unread", async () => {
    const { server } = ctx;
    server.respondWith(json(200, {}, { "x-request-id": "req-ok" }));
    const response = await closeSessions(coreFetchFor(server, { userAgent: "@geminidb-sessions/client/0.1.0" }), server);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("req-ok");
    expect(response.bodyUsed).toBe(false);
    expect(await response.json()).toEqual({});
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe("DELETE");
    expect(request?.rawUrl).toBe(SESSIONS_PATH);
    expect(request?.headers["x-auth-token"]).toBe(TOKEN);
    expect(request?.headers["user-agent"]).toBe("@geminidb-sessions/client/0.1.0");
    expect(request?.headers.authorization).toBeUndefined();
  });

  it("asks a token provider lazily, and once for concurrent calls", async () => {
    const { server } = ctx;
    let calls = 0;
    let release: (token: string) => void = () => {};
    const provider = () =>
      new Promise<string>((resolve) => {
        calls++;
        release = resolve;
      });
    const coreFetch = coreFetchFor(server, { credentials: { token: provider } });
    expect(calls).toBe(0);
    const pending = Promise.all(Array.from({ length: 5 }, () => closeSessions(coreFetch, server)));
    // Let every call reach the provider before it answers.
    await new Promise((resolve) => setImmediate(resolve));
    release("MIIprovided-token-1");
    const responses = await pending;
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(calls).toBe(1);
    expect(server.requests.map((r) => r.headers["x-auth-token"])).toEqual(Array(5).fill("MIIprovided-token-1"));
    await closeSessions(coreFetch, server);
    expect(calls).toBe(1);
  });

  it("on 401 APIGW.0301 asks the provider again once and retries the request once", async () => {
    const { server } = ctx;
    let calls = 0;
    const coreFetch = coreFetchFor(server, { credentials: { token: async () => `MIItoken-${++calls}` }, maxRetries: 0 });
    server.respondWith(sequence(refused, json(200, {})));
    expect((await closeSessions(coreFetch, server)).status).toBe(200);
    expect(server.requests.map((r) => r.headers["x-auth-token"])).toEqual(["MIItoken-1", "MIItoken-2"]);
    expect(calls).toBe(2);
  });

  it("refreshes once for concurrent calls that all met the expired token", async () => {
    const { server } = ctx;
    let calls = 0;
    const coreFetch = coreFetchFor(server, { credentials: { token: async () => `MIItoken-${++calls}` } });
    await closeSessions(coreFetch, server);
    server.respondWith((request, response) =>
      request.headers["x-auth-token"] === "MIItoken-1" ? refused(request, response) : json(200, {})(request, response),
    );
    const responses = await Promise.all(Array.from({ length: 4 }, () => closeSessions(coreFetch, server)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(calls).toBe(2);
  });

  it("gives up with AuthenticationError when the new token is refused too (no loop)", async () => {
    const { server } = ctx;
    let calls = 0;
    server.respondWith(refused);
    const coreFetch = coreFetchFor(server, { credentials: { token: async () => `MIItoken-${++calls}` } });
    const error = await rejectionOf(closeSessions(coreFetch, server));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).code).toBe("APIGW.0301");
    expect(server.requests).toHaveLength(2);
    expect(calls).toBe(2);
  });

  it("does not retry a refused fixed token", async () => {
    const { server } = ctx;
    server.respondWith(refused);
    const error = await rejectionOf(closeSessions(coreFetchFor(server), server));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(server.requests).toHaveLength(1);
  });

  it("sends nothing when the provider fails or returns a malformed token", async () => {
    const { server } = ctx;
    const failing = coreFetchFor(server, {
      credentials: {
        token: async () => {
          throw new Error("IAM unreachable");
        },
      },
    });
    expect(await rejectionOf(closeSessions(failing, server))).toBeInstanceOf(CredentialsError);
    const malformed = coreFetchFor(server, { credentials: { token: async () => "MII\r\nX-Injected: 1" } });
    const error = await rejectionOf(closeSessions(malformed, server));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("credentials.token");
    expect(server.requests).toHaveLength(0);
  });
});

describe("AK/SK credentials", () => {
  it("signs the request so the server side verifies it, with X-Project-Id and no token", async () => {
    const { server } = ctx;
    const now = Date.parse("2026-11-28T09:30:00Z");
    const coreFetch = coreFetchFor(server, {
      credentials: { accessKey: AK, secretKey: SK },
      projectId: PROJECT,
      runtime: { now: () => now },
    });
    expect((await closeSessions(coreFetch, server)).status).toBe(200);
    const [request] = server.requests;
    if (request === undefined) throw new Error("no request");
    expect(request.headers["x-sdk-date"]).toBe("20261128T093000Z");
    expect(request.headers["x-project-id"]).toBe(PROJECT);
    expect(request.headers["x-auth-token"]).toBeUndefined();
    expect(request.headers["x-security-token"]).toBeUndefined();
    const auth = parseAuthorization(String(request.headers.authorization));
    expect(auth?.accessKey).toBe(AK);
    expect(auth?.signedHeaders).toEqual(expect.arrayContaining(["host", "x-project-id", "x-sdk-date"]));
    expect(auth?.signedHeaders).not.toContain("user-agent");
    expect(await verifySignature(asReceived(request), lookup, { now: new Date(now) })).toEqual({ ok: true, accessKey: AK });
  });

  it("sends and signs the security token of temporary credentials", async () => {
    const { server } = ctx;
    const coreFetch = coreFetchFor(server, { credentials: { accessKey: AK, secretKey: SK, securityToken: SECURITY_TOKEN } });
    await closeSessions(coreFetch, server);
    const [request] = server.requests;
    if (request === undefined) throw new Error("no request");
    expect(request.headers["x-security-token"]).toBe(SECURITY_TOKEN);
    expect(parseAuthorization(String(request.headers.authorization))?.signedHeaders).toContain("x-security-token");
    expect(await verifySignature(asReceived(request), lookup)).toEqual({ ok: true, accessKey: AK });
    // A signature made for one security token does not hold for another.
    const swapped = { ...asReceived(request), headers: { ...request.headers, "x-security-token": "another-token" } };
    expect(await verifySignature(swapped, lookup)).toEqual({ ok: false, reason: "mismatch" });
  });

  it("signs again with a fresh X-Sdk-Date for every attempt", async () => {
    const { server } = ctx;
    let now = Date.parse("2026-11-28T09:30:00Z");
    server.respondWith(sequence(json(503, { error: { code: "APIGW.0202", message: "Backend unavailable" } }), json(200, {})));
    const coreFetch = coreFetchFor(server, {
      credentials: { accessKey: AK, secretKey: SK },
      runtime: {
        now: () => now,
        sleep: async (ms) => {
          now += ms + 5000;
        },
      },
    });
    await closeSessions(coreFetch, server);
    const [first, second] = server.requests;
    if (first === undefined || second === undefined) throw new Error("expected two requests");
    expect(first.headers["x-sdk-date"]).toBe(formatSdkDate(new Date(Date.parse("2026-11-28T09:30:00Z"))));
    expect(second.headers["x-sdk-date"]).not.toBe(first.headers["x-sdk-date"]);
    expect(first.headers.authorization).not.toBe(second.headers.authorization);
    expect(await verifySignature(asReceived(second), lookup, { now: new Date(now) })).toEqual({ ok: true, accessKey: AK });
  });

  it("uses the request's own X-Project-Id (a per-call override) when it has one", async () => {
    const { server } = ctx;
    const other = "0123456789abcdef0123456789abcdef";
    const coreFetch = coreFetchFor(server, { credentials: { accessKey: AK, secretKey: SK }, projectId: PROJECT });
    await coreFetch(`${server.url}/v3/${other}/instances/${INSTANCE}/sessions`, { method: "DELETE", headers: { "X-Project-Id": other } });
    const [request] = server.requests;
    if (request === undefined) throw new Error("no request");
    expect(request.headers["x-project-id"]).toBe(other);
    expect(await verifySignature(asReceived(request), lookup)).toEqual({ ok: true, accessKey: AK });
  });

  it("signs byte for byte the path that goes on the wire, IDs at the edge of their patterns included", async () => {
    const { server } = ctx;
    const coreFetch = coreFetchFor(server, { credentials: { accessKey: AK, secretKey: SK } });
    const paths = [
      `/v3/${"0".repeat(32)}/instances/${"0".repeat(32)}in00/sessions`,
      `/v3/${"f".repeat(32)}/instances/${"f".repeat(32)}in99/sessions`,
      "/v3/needs encoding/é/😀/sessions",
    ];
    for (const path of paths) await coreFetch(`${server.url}${path}`, { method: "DELETE" });
    expect(server.requests.map((r) => r.rawUrl)).toEqual(paths.map((path) => new URL(path, server.url).pathname));
    for (const request of server.requests) {
      expect(await verifySignature(asReceived(request), lookup)).toEqual({ ok: true, accessKey: AK });
    }
  });

  it("signs a request body and sends the same body again on a retry", async () => {
    const { server } = ctx;
    server.respondWith(sequence(json(502, { error_code: "APIGW.0202", error_msg: "Backend unavailable" }), json(200, {})));
    const coreFetch = coreFetchFor(server, { credentials: { accessKey: AK, secretKey: SK } });
    await coreFetch(`${server.url}${SESSIONS_PATH}`, { method: "POST", body: '{"a":1}', headers: { "content-type": "application/json" } });
    expect(server.requests.map((r) => r.body)).toEqual(['{"a":1}', '{"a":1}']);
    for (const request of server.requests) {
      expect(parseAuthorization(String(request.headers.authorization))?.signedHeaders).toContain("content-type");
      expect(await verifySignature(asReceived(request), lookup)).toEqual({ ok: true, accessKey: AK });
    }
  });
});

describe("inputs refused before any I/O", () => {
  it("refuses malformed credentials when the transport is created", () => {
    for (const credentials of [
      { token: "MII\nx" },
      { accessKey: AK, secretKey: "s\r\nk" },
      { accessKey: AK, secretKey: SK, securityToken: "\u0000" },
    ]) {
      expect(() => createCoreFetch({ endpoint: "http://127.0.0.1:1", credentials })).toThrow(ValidationError);
    }
  });

  it("sends credentials to the configured endpoint only", async () => {
    const { server } = ctx;
    const coreFetch = coreFetchFor(server);
    const error = await rejectionOf(coreFetch("http://127.0.0.2:9/v3/x", { method: "DELETE" }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("url");
    expect(server.requests).toHaveLength(0);
  });

  it("refuses a request fetch itself could not build", async () => {
    const { server } = ctx;
    const error = await rejectionOf(coreFetchFor(server)(`${server.url}/v3`, { method: "GET", body: "not allowed on GET" }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("request");
    expect(server.requests).toHaveLength(0);
  });
});

describe("a token provider that misbehaves", () => {
  it("one that never settles does not poison the client: the next call asks it again", async () => {
    const { server } = ctx;
    let calls = 0;
    const provider = () => {
      calls++;
      return calls === 1 ? new Promise<string>(() => {}) : Promise.resolve(TOKEN);
    };
    const coreFetch = coreFetchFor(server, { credentials: { token: provider }, timeoutMs: 1_000, maxRetries: 0 });
    expect(await rejectionOf(closeSessions(coreFetch, server))).toBeInstanceOf(TimeoutError);
    expect(server.requests).toHaveLength(0);
    expect((await closeSessions(coreFetch, server)).status).toBe(200);
    expect(calls).toBe(2);
    expect(server.requests[0]?.headers["x-auth-token"]).toBe(TOKEN);
  });

  it("one stuck call abandoned by an abort is asked again too", async () => {
    const { server } = ctx;
    let calls = 0;
    const provider = () => {
      calls++;
      return calls === 1 ? new Promise<string>(() => {}) : Promise.resolve(TOKEN);
    };
    const coreFetch = coreFetchFor(server, { credentials: { token: provider } });
    const controller = new AbortController();
    const first = closeSessions(coreFetch, server, { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    expect(await rejectionOf(first)).toBeInstanceOf(AbortError);
    expect((await closeSessions(coreFetch, server)).status).toBe(200);
    expect(calls).toBe(2);
  });

  it("its failure keeps a useful cause with every known token removed, and says what failed", async () => {
    const { server } = ctx;
    const dropped = "MIIdropped-token-0123456789/+=abc";
    let calls = 0;
    const provider = async () => {
      calls++;
      if (calls === 1) return dropped;
      const failure = new Error(`IAM refused to renew ${dropped}: account frozen`) as Error & { code: string };
      failure.code = "IAM.0042";
      throw failure;
    };
    server.respondWith(refused);
    const coreFetch = coreFetchFor(server, { credentials: { token: provider } });
    const error = await rejectionOf(closeSessions(coreFetch, server));
    expect(error).toBeInstanceOf(CredentialsError);
    const cause = (error as CredentialsError).cause as Error & { code?: string };
    expect(cause).toBeInstanceOf(Error);
    expect(cause.message).toBe("IAM refused to renew ***: account frozen");
    expect(cause.code).toBe("IAM.0042");
    expect((error as Error).message).toContain("IAM refused to renew ***: account frozen");
    const texts = [String(error), inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error), cause.stack ?? ""];
    for (const text of texts) expect(text).not.toContain(dropped);
  });
});

describe("credential values in messages", () => {
  it("a token shorter than 4 characters echoed by the server is masked too", async () => {
    const { server } = ctx;
    server.respondWith(json(400, { error_code: "APIGW.0201", error_msg: "token xY9 is malformed" }));
    const error = await rejectionOf(closeSessions(coreFetchFor(server, { credentials: { token: "xY9" } }), server));
    expect((error as Error).message).not.toContain("xY9");
    expect((error as { rawBody: string }).rawBody).not.toContain("xY9");
  });

  it("a malformed access key is quoted nowhere, not even in part", () => {
    const pasted = "Zq8FAKEsecretPASTEDasAK0123456789abcdefGHIJ/+";
    for (const accessKey of [pasted, "ab!", "x y"]) {
      try {
        protectCredentials({ accessKey, secretKey: SK });
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).field).toBe("credentials.accessKey");
        const texts = [(error as Error).message, ...(error as ValidationError).issues.map((issue) => issue.message)];
        for (const text of texts) {
          expect(text).not.toContain(accessKey.slice(0, 3));
          expect(text).not.toMatch(/["'`]/);
        }
      }
    }
  });
});
