import { encoder } from "./text.js";

/** The mask that replaces every secret this library knows about. */
export const REDACTED = "***";

/** The symbol node:util's inspect (and Bun's console) call for a custom rendering. */
const nodeInspect: unique symbol = Symbol.for("nodejs.util.inspect.custom");
/** The symbol Deno's inspect calls for a custom rendering. */
const denoInspect: unique symbol = Symbol.for("Deno.customInspect");

/**
 * Makes node:util's inspect (and Bun's console) and Deno's inspect render a class's instances with
 * `render`. Set on the prototype rather than written as `[nodeInspect]()` members, so each module's
 * declarations can be emitted on their own (isolatedDeclarations cannot name symbol-keyed members).
 */
export function inspectWith<T extends object>(type: { prototype: T }, render: (this: T) => string): void {
  for (const key of [nodeInspect, denoInspect])
    Object.defineProperty(type.prototype, key, { value: render, writable: true, configurable: true });
}

/** Header names whose values are credentials (lower case). */
const sensitiveHeaders = new Set(["x-auth-token", "authorization", "x-security-token", "proxy-authorization", "cookie", "set-cookie"]);

/** Headers in any of the shapes fetch, node:http or a plain object use. */
export type HeadersLike = Headers | Iterable<readonly [string, string]> | Record<string, string | readonly string[] | undefined>;

function entriesOf(headers: HeadersLike): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (typeof Headers !== "undefined" && headers instanceof Headers) {
    headers.forEach((value, name) => {
      out.push([name, value]);
    });
    return out;
  }
  if (Symbol.iterator in headers) {
    for (const [name, value] of headers as Iterable<readonly [string, string]>) out.push([name, value]);
    return out;
  }
  for (const [name, value] of Object.entries(headers as Record<string, string | readonly string[] | undefined>)) {
    if (value === undefined) continue;
    out.push([name, typeof value === "string" ? value : value.join(", ")]);
  }
  return out;
}

/**
 * A copy of `headers` safe to log or keep: lower-case names, the values of
 * `X-Auth-Token`, `Authorization`, `X-Security-Token` (and cookies) replaced by
 * `***`, and every other value scrubbed of `secrets` (as `scrubSecrets` does),
 * so a server echoing a credential in a header of its own shows `***`.
 *
 * @example
 * redactHeaders({ "X-Auth-Token": "MII...", Accept: "application/json" });
 * // { "x-auth-token": "***", accept: "application/json" }
 */
export function redactHeaders(headers: HeadersLike, secrets: readonly string[] = []): Record<string, string> {
  const needles = needlesFor(secrets);
  const out: Record<string, string> = {};
  for (const [name, value] of entriesOf(headers)) {
    const lower = name.toLowerCase();
    out[lower] = sensitiveHeaders.has(lower) ? REDACTED : scrubWith(value, needles);
  }
  return out;
}

/** Standard base64 of `bytes` (with padding; the callers slice inside it). */
function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The base64 characters that depend on `secret` alone, wherever it sits in the
 * encoded text: one run for each of the three byte alignments (standard and
 * URL-safe alphabets). The characters that mix in a neighbouring byte are left out.
 */
function base64Forms(secret: string): string[] {
  const bytes = encoder.encode(secret);
  const forms = new Set<string>();
  for (let lead = 0; lead < 3; lead++) {
    const padded = new Uint8Array(lead + bytes.length);
    padded.set(bytes, lead);
    const encoded = base64(padded);
    const core = encoded.slice(Math.ceil((8 * lead) / 6), Math.floor((8 * (lead + bytes.length)) / 6));
    if (core.length < 4) continue;
    forms.add(core);
    forms.add(core.replaceAll("+", "-").replaceAll("/", "_"));
  }
  return [...forms];
}

const HEX = /^[0-9a-fA-F]+$/;

/** The byte `%XX` at `at` in `text` writes, or -1. */
function percentByte(text: string, at: number): number {
  const hex = text.slice(at + 1, at + 3);
  return text[at] === "%" && hex.length === 2 && HEX.test(hex) ? Number.parseInt(hex, 16) : -1;
}

/**
 * The code point that the `%XX` sequence at `at` writes as UTF-8 (one to four escapes, as
 * `encodeURIComponent` writes a character), or undefined when the bytes are not well-formed UTF-8.
 */
function percentDecoded(text: string, at: number): { point: number; width: number } | undefined {
  const lead = percentByte(text, at);
  if (lead < 0x80) return lead === -1 ? undefined : { point: lead, width: 3 };
  const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
  if (length === 0) return undefined;
  let point = lead & (0xff >> (length + 1));
  for (let k = 1; k < length; k++) {
    const byte = percentByte(text, at + 3 * k);
    if (byte < 0x80 || byte > 0xbf) return undefined;
    point = (point << 6) | (byte & 0x3f);
  }
  // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
  const least = length === 2 ? 0x80 : length === 3 ? 0x800 : 0x10000;
  if (point < least || point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) return undefined;
  return { point, width: 3 * length };
}

const NAMED_REFERENCES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", sol: "/", equals: "=", plus: "+" };

/**
 * `text` decoded the ways a server may escape an echoed value: JSON escapes
 * (`\uXXXX`, `\/`, `\"`, `\\`), percent-encoding (`%XX`, UTF-8 as `encodeURIComponent` writes it) and HTML
 * character references (`&#47;`, `&#x2F;`, `&sol;`, `&amp;`, ...), with, for each
 * decoded character, where it came from in `text`.
 */
function decodeEscapes(text: string): { decoded: string; from: number[]; to: number[] } {
  let decoded = "";
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < text.length; ) {
    let char = text[i] as string;
    let width = 1;
    if (char === "\\" && i + 1 < text.length) {
      const next = text[i + 1] as string;
      const hex = text.slice(i + 2, i + 6);
      if (next === "u" && hex.length === 4 && HEX.test(hex)) {
        char = String.fromCharCode(Number.parseInt(hex, 16));
        width = 6;
      } else if (next === "/" || next === '"' || next === "\\") {
        char = next;
        width = 2;
      }
    } else if (char === "&") {
      const reference = /^&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos|sol|equals|plus));/.exec(text.slice(i, i + 12));
      if (reference !== null) {
        const [whole, decimal, hex, name] = reference;
        const code = decimal !== undefined ? Number(decimal) : hex !== undefined ? Number.parseInt(hex, 16) : undefined;
        if (code === undefined) char = NAMED_REFERENCES[name as string] as string;
        else if (code <= 0x10ffff) char = String.fromCodePoint(code);
        width = whole.length;
      }
    } else if (char === "%") {
      const decoded = percentDecoded(text, i);
      if (decoded !== undefined) {
        char = String.fromCodePoint(decoded.point);
        width = decoded.width;
      }
    }
    decoded += char;
    // One entry per UTF-16 unit, so indexes into `decoded` stay aligned (a reference may decode to a surrogate pair).
    for (let unit = 0; unit < char.length; unit++) {
      from.push(i);
      to.push(i + width);
    }
    i += width;
  }
  return { decoded, from, to };
}

/** Every `[start, end)` range of `haystack` holding one of `needles`, merged. */
function rangesOf(haystack: string, needles: readonly string[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const needle of needles) {
    if (needle === "") continue;
    for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) {
      ranges.push([at, at + needle.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last !== undefined && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

function mask(text: string, ranges: ReadonlyArray<readonly [number, number]>): string {
  let out = "";
  let at = 0;
  for (const [start, end] of ranges) {
    out += `${text.slice(at, start)}${REDACTED}`;
    at = end;
  }
  return out + text.slice(at);
}

/**
 * `text` with every occurrence of each secret replaced by `***`, for bodies,
 * headers and messages that might echo one: as is, JSON-escaped (`\u00XX`,
 * `\/`, in either letter case, even mixed), percent-encoded, as HTML character
 * references, and in base64
 * (standard or URL-safe, at any alignment, so also inside an encoded
 * `user:secret`). Every secret is masked, however short. With `truncated`
 * (the text was cut off at a limit), a tail that begins a secret is masked too.
 *
 * @example
 * scrubSecrets('{"echo":"MII\\/abc"}', ["MII/abc"]); // '{"echo":"***"}'
 */
export function scrubSecrets(text: string, secrets: readonly string[], options: { truncated?: boolean } = {}): string {
  const needles = needlesFor(secrets);
  const out = scrubWith(text, needles);
  return options.truncated === true ? maskPartialTail(out, needles) : out;
}

/**
 * For text cut off at a limit: masks a tail that is the start of a secret (in
 * any form `scrubSecrets` knows), since the rest of it was cut away and a whole
 * match is no longer possible.
 */
function maskPartialTail(text: string, needles: readonly string[]): string {
  if (needles.length === 0 || text === "") return text;
  const longest = Math.max(...needles.map((needle) => needle.length));
  // An escaped UTF-16 unit takes at most 10 characters (`&#x00FFFF;`; `%E4%B8%AD` takes 9).
  const tailStart = Math.max(0, text.length - 10 * longest);
  const tail = text.slice(tailStart);
  // Cut off inside an escape (`MII\` of `MII\/abc`, `%F0%9F` of a 4-byte character): the escape cannot be
  // decoded, so the secret's start before it is looked for without it.
  const open = INCOMPLETE_ESCAPE.exec(tail);
  let cut = partialStart(tail, needles);
  if (open !== null && open.index > 0) {
    const before = partialStart(tail.slice(0, open.index), needles);
    if (before !== -1 && (cut === -1 || before < cut)) cut = before;
  }
  return cut === -1 ? text : `${text.slice(0, tailStart + cut)}${REDACTED}`;
}

/** A tail that only begins an escape `decodeEscapes` reads: a JSON escape, a UTF-8 percent sequence or a character reference. */
const INCOMPLETE_ESCAPE =
  /(?:\\(?:u[0-9a-fA-F]{0,3})?|(?:%[0-9a-fA-F]{2})*%[0-9a-fA-F]?|(?:%[0-9a-fA-F]{2})+|&(?:#[xX]?[0-9a-fA-F]{0,6}|[a-z]{0,6}))$/;

/** Where in `text` (undecoded) a decoded tail that begins one of `needles` starts; -1 when none does. */
function partialStart(text: string, needles: readonly string[]): number {
  const { decoded, from } = decodeEscapes(text);
  let cut = -1;
  for (const needle of needles) {
    for (let i = Math.max(0, decoded.length - needle.length + 1); i < decoded.length; i++) {
      if (decoded.charCodeAt(i) === needle.charCodeAt(0) && needle.startsWith(decoded.slice(i))) {
        if (cut === -1 || i < cut) cut = i;
        break;
      }
    }
  }
  return cut === -1 ? -1 : (from[cut] as number);
}

/**
 * The strings to look for (each secret and its base64 forms), derived once per secrets array:
 * credential sources hand out the same array until their secrets change, so the base64 forms
 * are not worked out on every response. The entry keeps a copy of what it was derived from,
 * so an array changed in place is derived again.
 */
const needleCache = new WeakMap<readonly string[], { from: readonly string[]; needles: readonly string[] }>();

function needlesFor(secrets: readonly string[]): readonly string[] {
  const cached = needleCache.get(secrets);
  if (cached !== undefined && cached.from.length === secrets.length && cached.from.every((secret, i) => secret === secrets[i])) {
    return cached.needles;
  }
  const needles = secrets
    .filter((secret) => typeof secret === "string" && secret !== "")
    .flatMap((secret) => [secret, ...base64Forms(secret)]);
  needleCache.set(secrets, { from: [...secrets], needles });
  return needles;
}

function scrubWith(text: string, needles: readonly string[]): string {
  if (needles.length === 0 || text === "") return text;
  let out = mask(text, rangesOf(text, needles));
  if (out.includes("\\") || out.includes("%") || out.includes("&")) {
    const { decoded, from, to } = decodeEscapes(out);
    const ranges = rangesOf(decoded, needles).map(([start, end]): [number, number] => [from[start] as number, to[end - 1] as number]);
    out = mask(out, ranges);
  }
  return out;
}
