import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { hang, json, raw, sequence } from "@geminidb-sessions/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CoreOptions,
  type Credentials,
  createCoreFetch,
  type RetryInfo,
  redactHeaders,
  resolveCoreOptions,
  scrubSecrets,
} from "../src/index.js";
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
      const retries: RetryInfo[] = [];
      const onRetry = (info: RetryInfo) => retries.push(info);
      // Attempts that must be answered get a timeout a loaded machine meets; the hung one a short one.
      const options: Partial<CoreOptions> = { credentials, logger, onRetry, timeoutMs: 10_000, maxRetries: 1 };
      const collected: unknown[] = [];
      const attempt = async (responder: Parameters<typeof server.respondWith>[0], timeoutMs = options.timeoutMs) => {
        server.respondWith(responder);
        try {
          await closeSessions(coreFetchFor(server, { ...options, timeoutMs }), server);
        } catch (error) {
          collected.push(error);
        }
      };
      // A gateway that echoes the credential it refused, in both body forms and as HTML.
      await attempt(json(401, { error_code: "APIGW.0301", error_msg: `bad credential ${secrets.join(" ")}` }));
      await attempt(json(400, { error: { code: "APIGW.0201", message: `header was ${secrets.join("")}` } }));
      await attempt(raw(502, `<html><body>${secrets.join(" ")}</body></html>`));
      await attempt(sequence(json(503, {}), json(200, {})));
      await attempt(hang(), 50);

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
        resolveCoreOptions({ credentials, region: "nowhere" as never });
      } catch (error) {
        collected.push(error);
      }

      expect(collected.length).toBeGreaterThanOrEqual(6);
      for (const error of collected) expectNoSecret(renderings(error), secrets);
      expectNoSecret(renderings(resolveCoreOptions({ region: "cn-north-4", credentials })), secrets);
      expect(lines.length).toBeGreaterThan(0);
      // What onRetry is told: the echoed body (502), an empty 503, a timeout and a refused connection.
      expect(retries.map((info) => info.reason)).toEqual(["HTTP 502", "HTTP 503", "TimeoutError", "ConnectionError"]);
      for (const info of retries) expectNoSecret([...renderings(info), ...renderings(info.error)], secrets);
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

describe("secrets a server echoes in headers", () => {
  const credentials: Credentials = { accessKey: AK, secretKey: SK, securityToken: SECURITY_TOKEN };
  const echoing = (status: number) =>
    json(status, status === 200 ? {} : { error_code: "APIGW.0301", error_msg: "refused" }, {
      "x-echo-token": SECURITY_TOKEN,
      "www-authenticate": `SDK-HMAC-SHA256 realm="api", hint="${SK}"`,
      "x-echo-encoded": encodeURIComponent(SECURITY_TOKEN),
    });

  it("are masked in err.headers, JSON.stringify, util.inspect and the log", async () => {
    const { server } = ctx;
    const { logger, lines } = recordingLogger();
    server.respondWith(echoing(401));
    const error = await closeSessions(coreFetchFor(server, { credentials, logger }), server).catch((e: unknown) => e);
    const headers = (error as { headers: Record<string, string> }).headers;
    expect(headers["x-echo-token"]).toBe("***");
    expect(headers["www-authenticate"]).toBe('SDK-HMAC-SHA256 realm="api", hint="***"');
    expectNoSecret([...renderings(error), JSON.stringify(headers)], [SK, SECURITY_TOKEN, encodeURIComponent(SECURITY_TOKEN)]);
    expectNoSecret(
      lines.map((line) => `${JSON.stringify(line.details)} ${inspect(line.details, { depth: 10 })}`),
      [SK, SECURITY_TOKEN],
    );
  });

  it("are masked on a 200 too: in the log and in the Response handed back", async () => {
    const { server } = ctx;
    const { logger, lines } = recordingLogger();
    server.respondWith(echoing(200));
    const response = await closeSessions(coreFetchFor(server, { credentials, logger }), server);
    expect(response.headers.get("x-echo-token")).toBe("***");
    const shown: string[] = [];
    response.headers.forEach((value, name) => {
      shown.push(`${name}: ${value}`);
    });
    expectNoSecret(shown, [SK, SECURITY_TOKEN]);
    expectNoSecret(
      lines.map((line) => `${JSON.stringify(line.details)} ${inspect(line.details, { depth: 10 })}`),
      [SK, SECURITY_TOKEN],
    );
  });
});

describe("secrets a server echoes in an encoding", () => {
  // A token holding `/`, `+` and `=`, as real IAM tokens do.
  const token = "MIIEslashy/token+with=signs_0123456789";
  const jsonEscapedEveryChar = [...token].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
  const jsonEscapedUpper = jsonEscapedEveryChar.toUpperCase().replaceAll("\\U", "\\u");
  const slashEscaped = token.replaceAll("/", "\\/");
  const percent = encodeURIComponent(token);
  const percentLower = percent.toLowerCase().replace(/miieslashy/i, "MIIEslashy");
  const base64 = (text: string) => Buffer.from(text).toString("base64");

  it("masks JSON escapes, percent-encoding and base64 in rawBody and the message", async () => {
    const { server } = ctx;
    const forms = {
      a: jsonEscapedEveryChar,
      b: jsonEscapedUpper,
      c: slashEscaped,
      d: percent,
      e: percentLower,
      f: base64(token),
      g: base64(`user:${token}`),
      h: base64(`ab:${token}!`),
      i: base64(token).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, ""),
      j: token.replaceAll("/", "&#x2F;").replaceAll("=", "&#61;").replaceAll("+", "&plus;"),
    };
    const body = `{"error_code":"APIGW.0301","error_msg":"bad token ${slashEscaped}","echo":${JSON.stringify(forms).replaceAll("\\\\", "\\")}}`;
    server.respondWith(raw(401, body, { "content-type": "application/json" }));
    const error = await closeSessions(coreFetchFor(server, { credentials: { token } }), server).catch((e: unknown) => e);
    const rawBody = (error as { rawBody: string }).rawBody;
    expect(JSON.stringify(JSON.parse(rawBody))).not.toContain(token);
    for (const form of Object.values(forms)) expect(rawBody).not.toContain(form);
    expect(rawBody).not.toContain(Buffer.from(token).toString("base64").slice(8, 40));
    expectNoSecret(renderings(error), [token, slashEscaped]);
    expect((error as Error).message).toContain("bad token ***");
  });

  it("leaves text alone that only resembles a secret", async () => {
    const { server } = ctx;
    server.respondWith(json(400, { error_code: "APIGW.0201", error_msg: "path /v3/x%2Fy and \\u0041 stay" }));
    const error = await closeSessions(coreFetchFor(server), server).catch((e: unknown) => e);
    expect((error as Error).message).toContain("path /v3/x%2Fy and \\u0041 stay");
  });
});

describe("scrubSecrets", () => {
  it("keeps positions right around characters that decode to two UTF-16 units", () => {
    expect(scrubSecrets("a &#x1F600; then SECRETabc and &#128512;SECRETabc", ["SECRETabc"])).toBe("a &#x1F600; then *** and &#128512;***");
  });

  it("masks a mixed escape and leaves escapes that hide no secret alone", () => {
    expect(scrubSecrets("x \\u0053ECRET%61bc y", ["SECRETabc"])).toBe("x *** y");
    expect(scrubSecrets("nothing &amp; here %41 \\n", ["SECRETabc"])).toBe("nothing &amp; here %41 \\n");
  });

  it("masks a non-ASCII secret percent-encoded as UTF-8 (as encodeURIComponent writes it), whole or cut off", () => {
    const secret = "pässwörd-中文-😀";
    const encoded = encodeURIComponent(secret);
    expect(scrubSecrets(`q=${encoded}&r=1`, [secret])).toBe("q=***&r=1");
    expect(scrubSecrets(`q=${encoded.toLowerCase()}`, [secret])).toBe("q=***");
    // Cut off inside the secret (between two characters): the part that arrived is masked.
    expect(scrubSecrets(`q=${encoded.slice(0, -12)}`, [secret], { truncated: true })).toBe("q=***");
    // Bytes that are not UTF-8 stay as they are.
    expect(scrubSecrets("%C3%28 %E4%B8 %ED%A0%80 %C0%AF", [secret])).toBe("%C3%28 %E4%B8 %ED%A0%80 %C0%AF");
  });

  it("masks the start of a secret cut off inside its longest escapes (zero-padded character references, 10 characters each)", () => {
    const secret = "abcdefgh";
    const padded = [...secret].map((c) => `&#x0000${c.charCodeAt(0).toString(16)};`).join("");
    expect(scrubSecrets(`q=${padded.slice(0, -10)}`, [secret], { truncated: true })).toBe("q=***");
  });

  it("masks the start of a secret cut off in the middle of one of its escapes", () => {
    const secret = "MII/abc-pässwörd-😀";
    const cases = [
      '{"echo":"MII\\', // JSON's \/ cut after the backslash
      '{"echo":"MII\\u00', // \u002F cut inside its hex
      "q=MII%2", // %2F cut inside
      "q=MII&#x2", // &#x2F; cut inside
      "q=MII&so", // &sol; cut inside
      `q=${encodeURIComponent(secret).slice(0, -6)}`, // the emoji's 4 bytes cut after two
    ];
    for (const text of cases) {
      const shown = scrubSecrets(text, [secret], { truncated: true });
      expect(shown, text).toMatch(/(=|")\*\*\*$/);
      expect(shown, text).not.toContain("MII");
    }
    // An unfinished escape after text that begins no secret changes nothing.
    expect(scrubSecrets("q=hello%2", [secret], { truncated: true })).toBe("q=hello%2");
  });
});

describe("scrubSecrets and base64", () => {
  it("masks a secret's base64 at every alignment, standard and URL-safe, inside any base64 text (a property)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(..."abcXYZ019+/=!~é"), minLength: 4, maxLength: 40 }),
        fc.string({ maxLength: 5 }),
        fc.string({ maxLength: 5 }),
        (secret, before, after) => {
          const encoded = Buffer.from(`${before}${secret}${after}`).toString("base64");
          const urlSafe = encoded.replaceAll("+", "-").replaceAll("/", "_");
          // The characters that depend on the secret's bytes alone: the middle of its encoding.
          const start = Math.ceil((8 * Buffer.byteLength(before)) / 6);
          const end = Math.floor((8 * (Buffer.byteLength(before) + Buffer.byteLength(secret))) / 6);
          for (const text of [encoded, urlSafe]) {
            const scrubbed = scrubSecrets(text, [secret]);
            expect(scrubbed).not.toContain(text.slice(start, end));
            expect(scrubbed).toContain("***");
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
