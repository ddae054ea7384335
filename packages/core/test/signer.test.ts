import { createHash, createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AkSkCredentials,
  formatSdkDate,
  parseAuthorization,
  parseSdkDate,
  sha256Hex,
  signRequest,
  signString,
  ValidationError,
} from "../src/index.js";
import { verifySignature } from "../src/server.js";

// An independent implementation of steps 3-4 of the algorithm, with node:crypto.
const nodeSha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const nodeSignature = (sk: string, sdkDate: string, canonical: string) =>
  createHmac("sha256", sk)
    .update(`SDK-HMAC-SHA256\n${sdkDate}\n${nodeSha256(canonical)}`, "utf8")
    .digest("hex");

const AK = "HPUAEXAMPLEAK1234567";
const SK = "exampleSecretKeyNotRealButWellFormed0123";
const PROJECT = "619d3e78f61b4be68bc5aa0b59edcf7b";
const INSTANCE = "c865f921f3dd45198f209a607533a779in12";
const HOST = "gaussdb-nosql.cn-north-4.myhuaweicloud.com";
const DATE = new Date("2026-11-28T09:30:00Z");
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** Lower-cases names as node:http hands them to a server. */
const asReceived = (...records: Array<Record<string, string>>) => {
  const out: Record<string, string> = {};
  for (const record of records) for (const [name, value] of Object.entries(record)) out[name.toLowerCase()] = value;
  return out;
};

describe("formatSdkDate / parseSdkDate", () => {
  it("formats UTC as YYYYMMDDTHHmmssZ and reads it back", () => {
    expect(formatSdkDate(DATE)).toBe("20261128T093000Z");
    expect(formatSdkDate(new Date("2027-01-02T03:04:05.999Z"))).toBe("20270102T030405Z");
    expect(parseSdkDate("20261128T093000Z")?.toISOString()).toBe("2026-11-28T09:30:00.000Z");
  });

  it("refuses values that are not real times", () => {
    for (const bad of ["20260230T000000Z", "20261128T250000Z", "2026-11-28T09:30:00Z", "20261128T093000", ""]) {
      expect(parseSdkDate(bad)).toBeUndefined();
    }
    expect(() => formatSdkDate(new Date(Number.NaN))).toThrow(ValidationError);
  });
});

describe("sha256Hex and signString", () => {
  it("match node:crypto", async () => {
    expect(await sha256Hex("")).toBe(EMPTY_SHA256);
    expect(await sha256Hex("{}")).toBe(nodeSha256("{}"));
    expect(await sha256Hex(new TextEncoder().encode("é"))).toBe(nodeSha256("é"));
    expect(await signString(SK, "20261128T093000Z", "canonical\ntext")).toBe(nodeSignature(SK, "20261128T093000Z", "canonical\ntext"));
  });
});

describe("signRequest: known answers worked out by hand", () => {
  it("signs the close-sessions call with a project-scoped credential", async () => {
    const url = `https://${HOST}/v3/${PROJECT}/instances/${INSTANCE}/sessions`;
    const added = await signRequest(
      { method: "DELETE", url, headers: {} },
      { accessKey: AK, secretKey: SK },
      { date: DATE, projectId: PROJECT },
    );

    const canonical = [
      "DELETE",
      `/v3/${PROJECT}/instances/${INSTANCE}/sessions/`,
      "",
      `host:${HOST}`,
      `x-project-id:${PROJECT}`,
      "x-sdk-date:20261128T093000Z",
      "",
      "host;x-project-id;x-sdk-date",
      EMPTY_SHA256,
    ].join("\n");
    const signature = nodeSignature(SK, "20261128T093000Z", canonical);
    expect(added).toEqual({
      "X-Sdk-Date": "20261128T093000Z",
      Host: HOST,
      "X-Project-Id": PROJECT,
      Authorization: `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=host;x-project-id;x-sdk-date, Signature=${signature}`,
    });
  });

  it("signs temporary credentials, every request header but User-Agent and Authorization, the query and the body", async () => {
    const url = "http://127.0.0.1:8080/v3/a%20b/caf%C3%A9?b=2&a=x%20y&a=1";
    const headers = { "Content-Type": "application/json", "User-Agent": "test/1.0", Authorization: "stale", "X-Extra": "  padded  " };
    const credentials: AkSkCredentials = { accessKey: AK, secretKey: SK, securityToken: "temporary-token-value" };
    const added = await signRequest({ method: "POST", url, headers, body: "{}" }, credentials, { date: DATE });

    const canonical = [
      "POST",
      "/v3/a%20b/caf%C3%A9/",
      "a=1&a=x%20y&b=2",
      "content-type:application/json",
      "host:127.0.0.1:8080",
      "x-extra:padded",
      "x-sdk-date:20261128T093000Z",
      "x-security-token:temporary-token-value",
      "",
      "content-type;host;x-extra;x-sdk-date;x-security-token",
      nodeSha256("{}"),
    ].join("\n");
    expect(added["X-Security-Token"]).toBe("temporary-token-value");
    expect(added["X-Project-Id"]).toBeUndefined();
    expect(added.Authorization).toBe(
      `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=content-type;host;x-extra;x-sdk-date;x-security-token, Signature=${nodeSignature(SK, "20261128T093000Z", canonical)}`,
    );
  });

  it("refuses credentials that could split a header, naming the field but not the value", async () => {
    const request = { method: "DELETE", url: `https://${HOST}/`, headers: {} };
    const attempts: Array<[AkSkCredentials, string]> = [
      [{ accessKey: AK, secretKey: "line\r\nX-Evil: 1" }, "credentials.secretKey"],
      [{ accessKey: `${AK}\n`, secretKey: SK }, "credentials.accessKey"],
      [{ accessKey: AK, secretKey: SK, securityToken: "tok\u0000en" }, "credentials.securityToken"],
    ];
    for (const [credentials, field] of attempts) {
      const error = await signRequest(request, credentials).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
      expect((error as Error).message).not.toContain("X-Evil");
    }
  });
});

describe("parseAuthorization", () => {
  const signature = "a".repeat(64);
  it("reads the three fields", () => {
    expect(parseAuthorization(`SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=host;x-sdk-date, Signature=${signature}`)).toEqual({
      accessKey: AK,
      signedHeaders: ["host", "x-sdk-date"],
      signature,
    });
  });
  it("refuses anything else", () => {
    for (const bad of [
      "",
      `Bearer ${signature}`,
      `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=host`,
      `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=host, Signature=xyz`,
      `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=Host;x-sdk-date, Signature=${signature}`,
      `SDK-HMAC-SHA256 Access=${AK}, Access=${AK}, SignedHeaders=host, Signature=${signature}`,
      `SDK-HMAC-SHA256 Access=, SignedHeaders=host, Signature=${signature}`,
    ]) {
      expect(parseAuthorization(bad)).toBeUndefined();
    }
  });
});

describe("verifySignature", () => {
  const url = `https://${HOST}/v3/${PROJECT}/instances/${INSTANCE}/sessions`;
  const rawTarget = `/v3/${PROJECT}/instances/${INSTANCE}/sessions`;
  const lookup = (ak: string) => (ak === AK ? SK : undefined);
  const signed = () =>
    signRequest({ method: "DELETE", url, headers: {} }, { accessKey: AK, secretKey: SK }, { date: DATE, projectId: PROJECT });

  it("accepts what signRequest signed", async () => {
    const headers = asReceived(await signed());
    expect(await verifySignature({ method: "DELETE", rawTarget, headers }, lookup, { now: DATE })).toEqual({ ok: true, accessKey: AK });
  });

  it("names why it refuses", async () => {
    const headers = asReceived(await signed());
    const check = (h: Record<string, string | string[] | undefined>, now = DATE, target = rawTarget) =>
      verifySignature({ method: "DELETE", rawTarget: target, headers: h }, lookup, { now });
    expect(await check({ ...headers, authorization: undefined })).toEqual({ ok: false, reason: "missing" });
    expect(await check({ ...headers, authorization: "Basic abc" })).toEqual({ ok: false, reason: "malformed" });
    expect(await check({ ...headers, "x-sdk-date": "yesterday" })).toEqual({ ok: false, reason: "malformed" });
    const noDate = (headers.authorization ?? "").replace("SignedHeaders=host;x-project-id;x-sdk-date", "SignedHeaders=host;x-project-id");
    expect(await check({ ...headers, authorization: noDate })).toEqual({ ok: false, reason: "malformed" });
    const otherKey = (headers.authorization ?? "").replace(`Access=${AK}`, "Access=SOMEONEELSE");
    expect(await check({ ...headers, authorization: otherKey })).toEqual({ ok: false, reason: "unknown-key" });
    expect(await check(headers, new Date(DATE.getTime() + 901_000))).toEqual({ ok: false, reason: "clock-skew" });
    expect(await check(headers, new Date(DATE.getTime() - 901_000))).toEqual({ ok: false, reason: "clock-skew" });
    expect(await check(headers, new Date(DATE.getTime() + 899_000))).toEqual({ ok: true, accessKey: AK });
    expect(await check({ ...headers, "x-project-id": "00000000000000000000000000000000" })).toEqual({ ok: false, reason: "mismatch" });
    expect(await check({ ...headers, "x-project-id": undefined })).toEqual({ ok: false, reason: "mismatch" });
    expect(await check(headers, DATE, `${rawTarget}/../other`)).toEqual({ ok: false, reason: "mismatch" });
  });

  it("honours maxSkewSeconds", async () => {
    const headers = asReceived(await signed());
    const later = new Date(DATE.getTime() + 60_000);
    expect(await verifySignature({ method: "DELETE", rawTarget, headers }, lookup, { now: later, maxSkewSeconds: 30 })).toEqual({
      ok: false,
      reason: "clock-skew",
    });
  });
});

describe("sign → verify, over arbitrary requests", () => {
  const segment = fc.string({ unit: "binary", maxLength: 10 }).map((text) => text.replaceAll("/", ""));
  const headerValue = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,30}[\x21-\x7e])?$/);
  const request = fc.record({
    method: fc.constantFrom("DELETE", "GET", "POST", "PUT"),
    segments: fc.array(segment, { minLength: 1, maxLength: 5 }),
    query: fc.array(fc.tuple(fc.string({ unit: "binary", maxLength: 6 }), fc.string({ unit: "binary", maxLength: 6 })), { maxLength: 4 }),
    headers: fc.dictionary(fc.stringMatching(/^x-[a-z0-9-]{1,12}$/), headerValue, { maxKeys: 4 }),
    body: fc.option(fc.string({ unit: "binary", maxLength: 40 }), { nil: undefined }),
  });
  const toUrl = (r: { segments: string[]; query: Array<[string, string]> }) => {
    const url = new URL(`http://127.0.0.1:9/${r.segments.map(encodeURIComponent).join("/")}`);
    url.search = r.query.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join("&");
    return url;
  };
  const credentials = { accessKey: AK, secretKey: SK, securityToken: "tmp-token" };
  const lookup = (ak: string) => (ak === AK ? SK : undefined);

  it("round-trips: the server side accepts what was signed, over the wire form of the URL", async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const url = toUrl(r);
        const added = await signRequest(
          { method: r.method, url: url.href, headers: r.headers, ...(r.body === undefined ? {} : { body: r.body }) },
          credentials,
          {
            date: DATE,
          },
        );
        const result = await verifySignature(
          {
            method: r.method,
            rawTarget: url.pathname + url.search,
            headers: asReceived(r.headers, added),
            ...(r.body === undefined ? {} : { body: r.body }),
          },
          lookup,
          { now: DATE },
        );
        expect(result).toEqual({ ok: true, accessKey: AK });
      }),
      { numRuns: 60 },
    );
  });

  it("fails once the method, path, a signed header or the body changes", async () => {
    const tamper = fc.constantFrom("method", "path", "header", "body");
    await fc.assert(
      fc.asyncProperty(request, tamper, async (r, what) => {
        const url = toUrl(r);
        const body = r.body ?? "";
        const added = await signRequest({ method: r.method, url: url.href, headers: r.headers, body }, credentials, { date: DATE });
        const received = {
          method: r.method,
          rawTarget: url.pathname + url.search,
          headers: asReceived(r.headers, added),
          body,
        };
        if (what === "method") received.method = r.method === "DELETE" ? "GET" : "DELETE";
        if (what === "path") received.rawTarget = `/x${received.rawTarget}`;
        if (what === "header") received.headers["x-security-token"] = "another-token";
        if (what === "body") received.body = `${body}!`;
        expect(await verifySignature(received, lookup, { now: DATE })).toEqual({ ok: false, reason: "mismatch" });
      }),
      { numRuns: 60 },
    );
  });
});
