import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { percentEncode, percentEncodeBytes } from "../src/canonical.js";
import { canonicalQueryString, canonicalRequest, canonicalUri } from "../src/server.js";

const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** Path segments of arbitrary Unicode (whole code points: a path can only carry those), including `/`-free text. */
const segment = fc.string({ unit: "binary", maxLength: 12 }).map((text) => text.replaceAll("/", ""));

describe("canonicalUri", () => {
  it("encodes each segment, keeps unreserved characters and always ends in /", () => {
    expect(canonicalUri("/v3/619d3e78f61b4be68bc5aa0b59edcf7b/instances")).toBe("/v3/619d3e78f61b4be68bc5aa0b59edcf7b/instances/");
    expect(canonicalUri("/a b/ü~-_.*")).toBe("/a%20b/%C3%BC~-_.%2A/");
    expect(canonicalUri("/emoji/😀")).toBe("/emoji/%F0%9F%98%80/");
    expect(canonicalUri("/trailing/")).toBe("/trailing/");
    expect(canonicalUri("")).toBe("/");
    expect(canonicalUri("/")).toBe("/");
    expect(canonicalUri("/100%")).toBe("/100%25/");
  });

  it("only ever outputs unreserved characters, / and upper-case %XX, ending in /", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (path) => {
        const out = canonicalUri(path);
        expect(out).toMatch(/^([A-Za-z0-9\-_.~/]|%[0-9A-F]{2})*\/$/);
      }),
    );
  });

  it("decoding each segment gives back the original segment", () => {
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 6 }), (segments) => {
        const path = segments.join("/");
        const out = canonicalUri(path);
        const withoutAddedSlash = path.endsWith("/") ? out : out.slice(0, -1);
        expect(withoutAddedSlash.split("/").map(decodeURIComponent)).toEqual(path.split("/"));
      }),
    );
  });
});

describe("canonicalQueryString", () => {
  it("sorts by name then value, encodes like the URI and gives an empty string for no query", () => {
    expect(canonicalQueryString("")).toBe("");
    expect(canonicalQueryString("b=2&a=x%20y&c")).toBe("a=x%20y&b=2&c=");
    expect(canonicalQueryString("a=2&a=1&&b=%C3%A9")).toBe("a=1&a=2&b=%C3%A9");
    expect(canonicalQueryString("k=a+b*")).toBe("k=a%2Bb%2A");
  });

  const pairs = fc.array(fc.tuple(fc.string({ unit: "binary", maxLength: 8 }), fc.string({ unit: "binary", maxLength: 8 })), {
    maxLength: 8,
  });
  const toQuery = (list: ReadonlyArray<readonly [string, string]>) =>
    list.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join("&");

  it("does not depend on the order of the parameters", () => {
    fc.assert(
      fc.property(
        pairs.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }))),
        ([list, shuffled]) => {
          expect(canonicalQueryString(toQuery(shuffled))).toBe(canonicalQueryString(toQuery(list)));
        },
      ),
    );
  });

  it("is a fixed point: canonicalizing a canonical query changes nothing, and it is sorted", () => {
    fc.assert(
      fc.property(pairs, (list) => {
        const once = canonicalQueryString(toQuery(list));
        expect(canonicalQueryString(once)).toBe(once);
        const parts = once === "" ? [] : once.split("&").map((part) => part.split("=") as [string, string]);
        for (let i = 1; i < parts.length; i++) {
          const [prevName, prevValue] = parts[i - 1] as [string, string];
          const [name, value] = parts[i] as [string, string];
          expect(prevName < name || (prevName === name && prevValue <= value)).toBe(true);
        }
        expect(once).toMatch(/^([A-Za-z0-9\-_.~=&]|%[0-9A-F]{2})*$/);
      }),
    );
  });
});

describe("canonicalRequest", () => {
  it("joins the six parts with newlines, headers as sorted name:value lines ending in a blank line", () => {
    const text = canonicalRequest({
      method: "DELETE",
      path: "/v3/619d3e78f61b4be68bc5aa0b59edcf7b/instances/c865f921f3dd45198f209a607533a779in12/sessions",
      query: "",
      headers: {
        "X-Sdk-Date": "20261128T093000Z",
        Host: "gaussdb-nosql.cn-north-4.myhuaweicloud.com",
        "Content-Type": " application/json ",
      },
      signedHeaders: ["x-sdk-date", "host", "content-type"],
      payloadHash: EMPTY_SHA256,
    });
    expect(text).toBe(
      [
        "DELETE",
        "/v3/619d3e78f61b4be68bc5aa0b59edcf7b/instances/c865f921f3dd45198f209a607533a779in12/sessions/",
        "",
        "content-type:application/json",
        "host:gaussdb-nosql.cn-north-4.myhuaweicloud.com",
        "x-sdk-date:20261128T093000Z",
        "",
        "content-type;host;x-sdk-date",
        EMPTY_SHA256,
      ].join("\n"),
    );
  });

  it("decodes the wire path before canonicalizing it, as the gateway does", () => {
    const parts = { method: "GET", query: "", headers: {}, signedHeaders: [], payloadHash: EMPTY_SHA256 };
    const fromWire = canonicalRequest({ ...parts, path: "/caf%C3%A9/a%20b" });
    expect(fromWire.split("\n")[1]).toBe("/caf%C3%A9/a%20b/");
    // Lower-case hex on the wire canonicalizes to the same upper-case form.
    expect(canonicalRequest({ ...parts, path: "/caf%c3%a9/a%20b" })).toBe(fromWire);
  });

  it("lists every signed header once, sorted, whatever order and case they came in", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), { minLength: 1, maxLength: 6 }),
        fc.array(fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,20}$/), { minLength: 6, maxLength: 6 }),
        (names, values) => {
          const headers = Object.fromEntries(names.map((name, i) => [name.toUpperCase(), values[i] ?? ""]));
          const text = canonicalRequest({
            method: "DELETE",
            path: "/",
            query: "",
            headers,
            signedHeaders: [...names].reverse().map((n) => n.toUpperCase()),
            payloadHash: EMPTY_SHA256,
          });
          const sorted = [...names].sort();
          const lines = text.split("\n");
          expect(lines.slice(3, 3 + sorted.length)).toEqual(sorted.map((name) => `${name}:${(headers[name.toUpperCase()] ?? "").trim()}`));
          expect(lines[3 + sorted.length]).toBe("");
          expect(lines[4 + sorted.length]).toBe(sorted.join(";"));
        },
      ),
    );
  });
});

describe("percentEncode fast paths", () => {
  it("equal the byte-by-byte definition over any UTF-16 text, lone surrogates included", () => {
    const anyCodeUnit = fc.nat(0xffff).map((code) => String.fromCharCode(code));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: anyCodeUnit }), fc.string({ unit: "binary" }), fc.string()), (text) => {
        expect(percentEncode(text)).toBe(percentEncodeBytes(text));
      }),
      { numRuns: 500 },
    );
    expect(percentEncode("a!b'c(d)e*f g~")).toBe("a%21b%27c%28d%29e%2Af%20g~");
    expect(percentEncode("\ud800")).toBe("%EF%BF%BD");
  });
});
