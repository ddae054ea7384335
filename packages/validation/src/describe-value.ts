/** Words for values and characters, for messages. Nothing here throws on any input. */

/** The JSON type of a value as a person would say it: `null`, `array`, `string`, `number`, `object`, ... */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

const ARTICLES: Record<string, string> = { object: "an object", array: "an array", integer: "an integer", null: "null" };

/** Ajv's expected type(s) (`"string"`, `["string", "null"]` or `"string,null"`) as `a string or null`. */
export function expectedType(type: unknown): string {
  const names = (Array.isArray(type) ? type : String(type).split(",")).map(String);
  return names.map((t) => ARTICLES[t] ?? `a ${t}`).join(" or ");
}

/** The length of a string in characters (code points), as JSON Schema counts it. */
export function characterCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; count++) {
    const unit = text.charCodeAt(i++);
    if (unit >= 0xd800 && unit <= 0xdbff && i < text.length && (text.charCodeAt(i) & 0xfc00) === 0xdc00) i++;
  }
  return count;
}

export const characters = (n: number): string => (n === 1 ? "1 character" : `${n} characters`);

const PREVIEW_LIMIT = 48;

/** A non-secret string quoted for a message: whole when short, else its length and its start. */
export function preview(text: string): string {
  if (text.length === 0) return "an empty string";
  if (text.length <= PREVIEW_LIMIT + 8) return JSON.stringify(text);
  let end = PREVIEW_LIMIT;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // do not split a surrogate pair
  return `${characters(characterCount(text))} starting ${JSON.stringify(`${text.slice(0, end)}…`)}`;
}

/** The first character of `text` outside `allowed` (flattened inclusive code-point ranges), with its 1-based position in characters. */
export function findDisallowed(text: string, allowed: readonly number[]): { codePoint: number; position: number } | undefined {
  let position = 0;
  for (let i = 0; i < text.length; ) {
    position++;
    let codePoint = text.charCodeAt(i++);
    if (codePoint >= 0xd800 && codePoint <= 0xdbff && i < text.length) {
      const low = text.charCodeAt(i);
      if ((low & 0xfc00) === 0xdc00) {
        codePoint = 0x10000 + ((codePoint - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    let ok = false;
    for (let r = 0; r + 1 < allowed.length && !ok; r += 2)
      ok = codePoint >= (allowed[r] as number) && codePoint <= (allowed[r + 1] as number);
    if (!ok) return { codePoint, position };
  }
  return undefined;
}

export const codePointLabel = (codePoint: number): string => `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;

const isControl = (cp: number): boolean => cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
const isSurrogate = (cp: number): boolean => cp >= 0xd800 && cp <= 0xdfff;
const isWhitespace = (cp: number): boolean =>
  cp === 0x20 ||
  cp === 0xa0 ||
  cp === 0x1680 ||
  (cp >= 0x2000 && cp <= 0x200a) ||
  cp === 0x2028 ||
  cp === 0x2029 ||
  cp === 0x202f ||
  cp === 0x205f ||
  cp === 0x3000 ||
  cp === 0xfeff;

/**
 * A character named for a message. Control characters, whitespace and lone
 * surrogates are named by code point (`a control character (U+000A)`), since
 * they are invisible; other non-ASCII characters too (`a non-ASCII character (U+00E9)`);
 * printable ASCII is quoted (`'/'`). For a secret, nothing printable is revealed:
 * printable ASCII becomes `a character` and non-ASCII `a non-ASCII character`.
 */
export function describeCharacter(codePoint: number, secret: boolean): string {
  const label = codePointLabel(codePoint);
  if (isControl(codePoint)) return `a control character (${label})`;
  if (codePoint === 0x20) return `a space (${label})`;
  if (isWhitespace(codePoint)) return `a whitespace character (${label})`;
  if (isSurrogate(codePoint)) return `a lone surrogate (${label})`;
  if (codePoint > 0x7e) return secret ? "a non-ASCII character" : `a non-ASCII character (${label})`;
  if (secret) return "a character";
  return codePoint === 0x27 ? `"'"` : `'${String.fromCharCode(codePoint)}'`;
}

const NAME_LIMIT = 64;

/** Joins a base name and property names into a readable path: `error.code`, `headers["X-Id"]`. */
export function formatPath(base: string, segments: readonly string[]): string {
  let path = base;
  for (const raw of segments) {
    const segment = raw.length > NAME_LIMIT ? `${raw.slice(0, NAME_LIMIT)}…` : raw;
    if (/^[A-Za-z_$][\w$-]*$/.test(segment)) path = path ? `${path}.${segment}` : segment;
    else path = `${path}[${JSON.stringify(segment)}]`;
  }
  return path;
}
