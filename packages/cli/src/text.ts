/**
 * Text that is safe to show: secrets masked, server-supplied strings stripped of
 * anything a terminal would act on, and plain aligned tables built from both.
 */

/** What every secret is replaced with in output. */
export const MASK = "***";

/** Header values that are credentials, whole (lower-case names). */
const secretHeaders = new Set(["x-auth-token", "x-security-token", "proxy-authorization", "cookie"]);

/** `text` with every occurrence of each secret replaced by `***`. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a secret containing another is masked whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length > 0) out = out.split(secret).join(MASK);
  }
  return out;
}

/**
 * Headers as a dry run or `--debug` shows them: lower-case names in order, token headers
 * masked whole, and in `Authorization` the access key masked while `SignedHeaders` and
 * `Signature` stay visible (a signature reveals nothing about the secret key). Any known
 * secret left anywhere is masked too.
 *
 * @example
 * maskHeaders(new Headers({ "X-Auth-Token": "MII…" }), []); // { "x-auth-token": "***" }
 */
export function maskHeaders(headers: Headers, secrets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...headers.keys()].sort()) {
    const value = headers.get(name) ?? "";
    if (secretHeaders.has(name)) out[name] = MASK;
    else if (name === "authorization") out[name] = maskSecrets(value.replace(/Access=[^,\s]*/, `Access=${MASK}`), secrets);
    else out[name] = maskSecrets(value, secrets);
  }
  return out;
}

// ESC-introduced sequences as terminals parse them: CSI (ESC [ … final byte), OSC/DCS/SOS/PM/APC
// strings (ESC ] … ended by BEL or ESC \, or never), and two-byte escapes (ESC + one character).
// Their C1 forms (U+009B CSI, U+009D OSC, …) are covered by the control range below.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const escapeSequence = /\u001b(?:\[[0-?]*[ -/]*[@-~]?|[\]PX^_][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[\s\S]?)/g;
// C0 controls and DEL, C1 controls, line/paragraph separators, and the bidirectional
// formatting characters that can reorder what a reader sees (Trojan Source, CVE-2021-42574).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const unsafeCharacter = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A server-supplied string made safe to print for a person: escape sequences removed
 * whole, tabs and line breaks turned into spaces (so a value stays on its line), every
 * other control character and bidi override removed. `--json` output is never cleaned:
 * it prints the values exactly, JSON-escaped.
 *
 * @example
 * clean("DBS.200002\u001b]0;pwned\u0007\u001b[2J"); // "DBS.200002"
 */
export function clean(text: string): string {
  return text.replace(escapeSequence, "").replace(unsafeCharacter, (char) => (/[\t\n\r\v\f]/.test(char) ? " " : ""));
}

/**
 * Columns padded to their widest cell, two spaces apart, the last column left ragged.
 * Cells are cleaned ({@link clean}); `paint` may color a cell after its width is taken,
 * so colors never shift the columns.
 */
export function formatTable(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  paint: (cell: string, column: number) => string = (cell) => cell,
  bold: (text: string) => string = (text) => text,
): string {
  const cleaned = rows.map((row) => row.map((cell) => clean(cell)));
  const widths = header.map((title, column) => Math.max(title.length, ...cleaned.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[], painted: boolean) =>
    cells
      .map((cell, column) => {
        const shown = painted ? paint(cell, column) : cell;
        if (column === cells.length - 1) return shown;
        return shown + " ".repeat(Math.max(0, (widths[column] ?? 0) - cell.length));
      })
      .join("  ");
  return [bold(line(header, false)), ...cleaned.map((row) => line(row, true))].map((text) => `${text}\n`).join("");
}

/** The edit distance between two strings (insertions, deletions, substitutions). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidate a mistyped word most likely meant: one it is a prefix of, else the
 * nearest by edit distance when that is close enough to be a typo; else undefined.
 *
 * @example
 * closest("instance", ["instance-id", "node-id"]); // "instance-id"
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const prefixed = candidates.filter((candidate) => candidate.startsWith(word));
  if (word.length >= 3 && prefixed.length > 0) return prefixed.sort((a, b) => a.length - b.length)[0];
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
