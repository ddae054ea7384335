import { inspect } from "node:util";
import { json, sequence } from "@geminidb-sessions/test-utils";
import { describe, expect, it } from "vitest";
import {
  AKSK_REFRESH_MARGIN_MS,
  AuthenticationError,
  CredentialsError,
  parseAuthorization,
  resolveCoreOptions,
  type TemporaryAkSk,
  ValidationError,
} from "../src/index.js";
import { verifySignature } from "../src/server.js";
import { asReceived, closeSessions, coreFetchFor, PROJECT, recordingLogger, rejectionOf, useServer } from "./helpers.js";

const ctx = useServer();
const refused = json(401, { error_code: "APIGW.0301", error_msg: "Incorrect IAM authentication information" });

/** Temporary credentials number `n`: distinct keys, a secret and a security token of their own. */
const temporary = (n: number, expiresAt?: number): TemporaryAkSk => ({
  accessKey: `TMPAKEXAMPLE0000000${n}`,
  secretKey: `temporary-secret-key-number-${n}-abcdef`,
  securityToken: `temporary-security-token-number-${n}-xyz`,
  ...(expiresAt === undefined ? {} : { expiresAt }),
});
const accessKeyOf = (request: { headers: Record<string, unknown> }) => parseAuthorization(String(request.headers.authorization))?.accessKey;

describe("AK/SK provider credentials", () => {
  it("asks the provider lazily and once for concurrent calls, and signs with what it gave", async () => {
    const { server } = ctx;
    let calls = 0;
    let release: (value: TemporaryAkSk) => void = () => {};
    const provider = () =>
      new Promise<TemporaryAkSk>((resolve) => {
        calls++;
        release = resolve;
      });
    const coreFetch = coreFetchFor(server, { credentials: { provider }, projectId: PROJECT });
    expect(calls).toBe(0);
    const pending = Promise.all(Array.from({ length: 4 }, () => closeSessions(coreFetch, server)));
    await new Promise((resolve) => setImmediate(resolve));
    release(temporary(1));
    expect((await pending).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(calls).toBe(1);
    const [request] = server.requests;
    if (request === undefined) throw new Error("no request");
    expect(accessKeyOf(request)).toBe(temporary(1).accessKey);
    expect(request.headers["x-security-token"]).toBe(temporary(1).securityToken);
    const secretOf = (ak: string) => (ak === temporary(1).accessKey ? temporary(1).secretKey : undefined);
    expect(await verifySignature(asReceived(request), secretOf)).toEqual({ ok: true, accessKey: temporary(1).accessKey });
  });

  it("asks again before the credentials expire, not after", async () => {
    const { server } = ctx;
    let now = Date.parse("2026-12-02T10:00:00Z");
    const expiresAt = now + 60 * 60_000;
    let calls = 0;
    const coreFetch = coreFetchFor(server, {
      credentials: { provider: async () => temporary(++calls, calls === 1 ? expiresAt : undefined) },
      runtime: { now: () => now, sleep: async () => {} },
    });
    await closeSessions(coreFetch, server);
    now = expiresAt - AKSK_REFRESH_MARGIN_MS - 1;
    await closeSessions(coreFetch, server);
    expect(calls).toBe(1);
    now = expiresAt - AKSK_REFRESH_MARGIN_MS;
    await closeSessions(coreFetch, server);
    expect(calls).toBe(2);
    expect(server.requests.map(accessKeyOf)).toEqual([temporary(1).accessKey, temporary(1).accessKey, temporary(2).accessKey]);
  });

  it("on 401 APIGW.0301 asks the provider again once, then gives up (no loop)", async () => {
    const { server } = ctx;
    let calls = 0;
    const { logger, lines } = recordingLogger();
    const coreFetch = coreFetchFor(server, { credentials: { provider: async () => temporary(++calls) }, maxRetries: 0, logger });
    server.respondWith(sequence(refused, json(200, {})));
    expect((await closeSessions(coreFetch, server)).status).toBe(200);
    expect(server.requests.map(accessKeyOf)).toEqual([temporary(1).accessKey, temporary(2).accessKey]);
    expect(lines.map((line) => line.message)).toContain("signature refused (APIGW.0301); asking the AK/SK provider again");

    server.respondWith(refused);
    const error = await rejectionOf(closeSessions(coreFetch, server));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(calls).toBe(3);
  });

  it("never shows a secret it was given: inspect, JSON, provider failures and malformed answers", async () => {
    const { server } = ctx;
    const given = temporary(7);
    const resolved = resolveCoreOptions({ endpoint: server.url, credentials: { provider: async () => given } });
    await closeSessions(coreFetchFor(server, { credentials: resolved.credentials as never }), server);
    let failing = false;
    const provider = async () => {
      if (failing) throw new Error(`STS refused ${given.secretKey} / ${given.securityToken}`);
      return given;
    };
    const coreFetch = coreFetchFor(server, { credentials: { provider }, maxRetries: 0 });
    await closeSessions(coreFetch, server);
    failing = true;
    server.respondWith(refused);
    const error = await rejectionOf(closeSessions(coreFetch, server));
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as Error).message).toMatch(/^The AK\/SK provider failed: STS refused \*\*\* \/ \*\*\*/);
    const shown = [
      inspect(resolved),
      JSON.stringify(resolved),
      String(resolved.credentials),
      inspect(error, { depth: 5 }),
      JSON.stringify(error),
      inspect((error as Error).cause),
    ].join("\n");
    expect(shown).not.toContain(given.secretKey);
    expect(shown).not.toContain(given.securityToken);

    const malformed = coreFetchFor(server, { credentials: { provider: async () => ({ ...given, secretKey: "bad\nsecret" }) } });
    const refusedAnswer = await rejectionOf(closeSessions(malformed, server));
    expect(refusedAnswer).toBeInstanceOf(ValidationError);
    expect((refusedAnswer as ValidationError).field).toBe("credentials.provider().secretKey");
    expect((refusedAnswer as Error).message).not.toContain("bad");
  });
});
