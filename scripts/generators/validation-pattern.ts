/**
 * Reads a schema's `pattern` (an ECMAScript regular expression, as Ajv runs it
 * with the `u` flag) and works out, at generation time, what the validation
 * package needs to explain a mismatch to a person:
 *
 * - `allowed`: every character the pattern can ever match, so a value's first
 *   character outside it can be named ("'/' is not allowed in an instance ID");
 * - `shape`: the pattern in words ("32 lowercase hexadecimal characters, then
 *   \"in\", then 2 digits");
 * - `fixedLength`: the number of characters every match has, when there is one.
 *
 * Only the regular-expression features a schema pattern plausibly uses are
 * understood: literals, escapes, classes, groups, alternation, quantifiers and
 * the `^`/`$` anchors. Anything else (lookarounds, back-references) makes
 * `analyzePattern` return `undefined`, and the package falls back to a
 * generic message instead of a wrong one.
 */

/** Inclusive code-point ranges, sorted and merged. */
export type Ranges = Array<[number, number]>;

type Node =
  | { kind: "seq"; items: Node[] }
  | { kind: "alt"; options: Node[] }
  | { kind: "class"; parts: ClassPart[]; negated: boolean }
  | { kind: "literal"; codePoint: number }
  | { kind: "repeat"; node: Node; min: number; max: number }
  | { kind: "anchor"; which: "start" | "end" };

/** One item of a character class as written, kept in order so descriptions follow the author's order. */
type ClassPart = { from: number; to: number };

export interface PatternAnalysis {
  /** Every code point some match can contain; undefined when the pattern is not anchored at both ends. */
  allowed: Ranges | undefined;
  /** The pattern in words, e.g. `32 lowercase hexadecimal characters`. */
  shape: string;
  /** The length in code points of every match, when all matches have the same length. */
  fixedLength: number | undefined;
}

const MAX_CODE_POINT = 0x10ffff;
/** Class parts from pairs of code points: `from, to, from, to, ...`. */
const pairs = (cps: number[]): ClassPart[] => cps.flatMap((from, i) => (i % 2 === 0 ? [{ from, to: cps[i + 1] as number }] : []));
const DIGITS = pairs([0x30, 0x39]);
const WORD = pairs([0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a]);
// What `\s` matches in ECMAScript: WhiteSpace and LineTerminator.
const WHITESPACE = pairs([
  0x09, 0x0d, 0x20, 0x20, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f, 0x205f, 0x3000, 0x3000,
  0xfeff, 0xfeff,
]);
const LINE_TERMINATORS = pairs([0x0a, 0x0a, 0x0d, 0x0d, 0x2028, 0x2029]);
/** `\d`, `\w`, `\s` (and, in upper case, their complements). */
const CLASS_ESCAPES: Record<string, ClassPart[]> = { d: DIGITS, w: WORD, s: WHITESPACE };
const CONTROL_ESCAPES: Record<string, number> = { t: 0x09, n: 0x0a, v: 0x0b, f: 0x0c, r: 0x0d, "0": 0 };

class Unsupported extends Error {}

/** A recursive-descent parser for the subset described above. */
class PatternParser {
  private pos = 0;
  private readonly chars: string[];

  constructor(source: string) {
    this.chars = Array.from(source);
  }

  parse(): Node {
    const node = this.alternation();
    if (this.pos < this.chars.length) throw new Unsupported(`unexpected ${this.peek()}`);
    return node;
  }

  private peek(): string | undefined {
    return this.chars[this.pos];
  }

  private next(): string {
    const c = this.chars[this.pos++];
    if (c === undefined) throw new Unsupported("unexpected end of pattern");
    return c;
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.peek() === "|") {
      this.pos++;
      options.push(this.sequence());
    }
    return options.length === 1 ? (options[0] as Node) : { kind: "alt", options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.pos < this.chars.length && this.peek() !== "|" && this.peek() !== ")") {
      items.push(this.quantified(this.atom()));
    }
    return { kind: "seq", items };
  }

  private atom(): Node {
    const c = this.next();
    switch (c) {
      case "^":
        return { kind: "anchor", which: "start" };
      case "$":
        return { kind: "anchor", which: "end" };
      case ".":
        return { kind: "class", parts: LINE_TERMINATORS, negated: true };
      case "[":
        return this.characterClass();
      case "(": {
        if (this.peek() === "?") {
          this.pos++;
          if (this.next() !== ":") throw new Unsupported("lookarounds and named groups");
        }
        // A group is its contents: a sequence or an alternation, never a literal on its own.
        const node = this.alternation();
        if (this.next() !== ")") throw new Unsupported("unclosed group");
        return node;
      }
      case "\\":
        return this.escape(false);
      default:
        if ("*+?{)]}".includes(c)) throw new Unsupported(`unexpected ${c}`);
        return { kind: "literal", codePoint: c.codePointAt(0) as number };
    }
  }

  /** An escape after the backslash; inside a class `\b` is a backspace, outside it is a word boundary we do not model. */
  private escape(inClass: boolean): Node {
    const c = this.next();
    const parts = CLASS_ESCAPES[c.toLowerCase()];
    if (parts) return { kind: "class", parts, negated: c !== c.toLowerCase() };
    if (CONTROL_ESCAPES[c] !== undefined) return { kind: "literal", codePoint: CONTROL_ESCAPES[c] };
    switch (c) {
      case "b":
        if (inClass) return { kind: "literal", codePoint: 0x08 };
        throw new Unsupported("word boundaries");
      case "x":
        return { kind: "literal", codePoint: this.hex(2) };
      case "u": {
        if (this.peek() === "{") {
          this.pos++;
          let digits = "";
          while (this.peek() !== "}") digits += this.next();
          this.pos++;
          return { kind: "literal", codePoint: Number.parseInt(digits, 16) };
        }
        return { kind: "literal", codePoint: this.hex(4) };
      }
      default:
        if (/[1-9kpPcB]/.test(c)) throw new Unsupported(`\\${c}`);
        return { kind: "literal", codePoint: c.codePointAt(0) as number };
    }
  }

  private hex(count: number): number {
    let digits = "";
    for (let i = 0; i < count; i++) digits += this.next();
    if (!/^[0-9a-fA-F]+$/.test(digits)) throw new Unsupported(`bad hex escape ${digits}`);
    return Number.parseInt(digits, 16);
  }

  private characterClass(): Node {
    const negated = this.peek() === "^";
    if (negated) this.pos++;
    const parts: ClassPart[] = [];
    while (this.peek() !== "]") {
      const from = this.classAtom();
      if (this.peek() === "-" && this.chars[this.pos + 1] !== "]" && this.chars[this.pos + 1] !== undefined) {
        this.pos++;
        const to = this.classAtom();
        if (from.length !== 1 || to.length !== 1) throw new Unsupported("range with a class escape");
        parts.push({ from: (from[0] as ClassPart).from, to: (to[0] as ClassPart).to });
      } else {
        parts.push(...from);
      }
    }
    this.pos++;
    return { kind: "class", parts, negated };
  }

  private classAtom(): ClassPart[] {
    const c = this.next();
    if (c !== "\\") {
      const cp = c.codePointAt(0) as number;
      return [{ from: cp, to: cp }];
    }
    const node = this.escape(true);
    if (node.kind === "literal") return [{ from: node.codePoint, to: node.codePoint }];
    if (node.kind === "class" && !node.negated) return node.parts;
    throw new Unsupported("negated escape inside a class");
  }

  private quantified(node: Node): Node {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === "*") [min, max] = [0, Number.POSITIVE_INFINITY];
    else if (c === "+") [min, max] = [1, Number.POSITIVE_INFINITY];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const rest = this.chars.slice(this.pos).join("");
      const m = /^\{(\d+)(,(\d*))?\}/.exec(rest);
      if (!m) throw new Unsupported("bad quantifier");
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] ? Number(m[3]) : Number.POSITIVE_INFINITY;
      this.pos += Array.from(m[0]).length - 1;
    } else return node;
    this.pos++;
    if (this.peek() === "?") this.pos++; // lazy quantifiers match the same strings
    if (node.kind === "anchor") throw new Unsupported("quantified anchor");
    return { kind: "repeat", node, min, max };
  }
}

/** Sorts and merges ranges. */
export function mergeRanges(parts: ClassPart[]): Ranges {
  const sorted = [...parts].sort((a, b) => a.from - b.from);
  const merged: Ranges = [];
  for (const { from, to } of sorted) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

function complement(ranges: Ranges): Ranges {
  const out: Ranges = [];
  let start = 0;
  for (const [from, to] of ranges) {
    if (from > start) out.push([start, from - 1]);
    start = to + 1;
  }
  if (start <= MAX_CODE_POINT) out.push([start, MAX_CODE_POINT]);
  return out;
}

function classRanges(node: Extract<Node, { kind: "class" }>): Ranges {
  const ranges = mergeRanges(node.parts);
  return node.negated ? complement(ranges) : ranges;
}

function collectAllowed(node: Node, into: ClassPart[]): void {
  if (node.kind === "class") for (const [from, to] of classRanges(node)) into.push({ from, to });
  else if (node.kind === "literal") into.push({ from: node.codePoint, to: node.codePoint });
  else if (node.kind === "seq" || node.kind === "alt")
    for (const n of node.kind === "seq" ? node.items : node.options) collectAllowed(n, into);
  else if (node.kind === "repeat" && node.max > 0) collectAllowed(node.node, into);
}

/** True when every path through the pattern starts with `^` and ends with `$`, so the whole value must match. */
function isAnchored(node: Node): boolean {
  const edges = (n: Node, which: "start" | "end"): boolean => {
    if (n.kind === "anchor") return n.which === which;
    if (n.kind === "alt") return n.options.every((o) => edges(o, which));
    if (n.kind === "seq") {
      const item = which === "start" ? n.items[0] : n.items[n.items.length - 1];
      return item !== undefined && edges(item, which);
    }
    return false;
  };
  return edges(node, "start") && edges(node, "end");
}

function fixedLength(node: Node): number | undefined {
  switch (node.kind) {
    case "seq":
      return node.items.reduce<number | undefined>((total, item) => {
        const n = fixedLength(item);
        return total === undefined || n === undefined ? undefined : total + n;
      }, 0);
    case "alt": {
      const lengths = new Set(node.options.map(fixedLength));
      const [only] = lengths;
      return lengths.size === 1 ? only : undefined;
    }
    case "class":
    case "literal":
      return 1;
    case "repeat": {
      if (node.min !== node.max) return undefined;
      const n = fixedLength(node.node);
      return n === undefined ? undefined : n * node.min;
    }
    case "anchor":
      return 0;
  }
}

/** Singular and plural names for what a class matches, e.g. `digit`/`digits`. */
interface Noun {
  one: string;
  many: string;
}

const quoteChar = (cp: number): string => {
  if (cp >= 0x21 && cp <= 0x7e) return cp === 0x27 ? `"'"` : `'${String.fromCodePoint(cp)}'`;
  return `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
};

const same = (a: ClassPart, from: number, to: number): boolean => a.from === from && a.to === to;

const list = (words: string[]): string =>
  words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;

/** Sets of ranges people have a name for, tried in this order (the hexadecimal ones before digits and letters). */
const NAMED: Array<[string, string]> = [
  ["0-9a-fA-F", "hexadecimal character"],
  ["0-9a-f", "lowercase hexadecimal character"],
  ["0-9A-F", "uppercase hexadecimal character"],
  ["A-Za-z", "letter"],
  ["a-z", "lowercase letter"],
  ["A-Z", "uppercase letter"],
  ["0-9", "digit"],
];

/** Names a class's parts by what people call them, in the order the pattern's author wrote them. */
function nameParts(written: ClassPart[]): Noun[] {
  const parts = written.map((p) => ({ ...p }));
  const index = (from: number, to: number) => parts.findIndex((p) => same(p, from, to));
  const names: Array<{ at: number; noun: Noun }> = [];
  const take = (covers: Array<[number, number]>, noun: Noun): void => {
    if (!covers.every(([from, to]) => index(from, to) >= 0)) return;
    const at = Math.min(...covers.map(([from, to]) => index(from, to)));
    for (const [from, to] of covers) parts.splice(index(from, to), 1, { from: -1, to: -1 });
    names.push({ at, noun });
  };
  for (const [written, one] of NAMED)
    take(
      [...written.matchAll(/(.)-(.)/g)].map((m) => [(m[1] as string).codePointAt(0) as number, (m[2] as string).codePointAt(0) as number]),
      { one, many: `${one}s` },
    );
  parts.forEach((p, at) => {
    if (p.from < 0) return;
    const name = p.from === p.to ? quoteChar(p.from) : `a character from ${quoteChar(p.from)} to ${quoteChar(p.to)}`;
    names.push({ at, noun: { one: name, many: name } });
  });
  return names.sort((a, b) => a.at - b.at).map((n) => n.noun);
}

function describeClass(node: Extract<Node, { kind: "class" }>): Noun {
  if (node.negated) {
    if (node.parts === LINE_TERMINATORS) return { one: "character other than a line break", many: "characters other than line breaks" };
    const except = list(nameParts(node.parts).map((n) => n.many));
    return { one: `character other than ${except}`, many: `characters other than ${except}` };
  }
  const ranges = mergeRanges(node.parts);
  const only = ranges.length === 1 ? ranges[0] : undefined;
  if (only?.[0] === 0x21 && only[1] === 0x7e)
    return { one: "printable ASCII character other than space", many: "printable ASCII characters other than space" };
  if (only?.[0] === 0x20 && only[1] === 0x7e) return { one: "printable ASCII character", many: "printable ASCII characters" };
  const names = nameParts(node.parts);
  // A class of single characters only ("'-' or '_'") reads as "one of".
  if (names.every((n) => n.one.startsWith("'") || n.one.startsWith('"')))
    return { one: `one of ${list(names.map((n) => n.one))}`, many: `characters from ${list(names.map((n) => n.many))}` };
  return { one: list(names.map((n) => n.one)), many: list(names.map((n) => n.many)) };
}

/** "one digit", but "one of '-' or '_'" rather than "one one of ...". */
const one = (noun: Noun): string => (noun.one.startsWith("one of ") ? noun.one : `one ${noun.one}`);

const number = (n: number): string => (n === 1 ? "one" : String(n));

/** Describes a repetition of something described by `noun`. */
function quantity(min: number, max: number, noun: Noun): string {
  if (min === max) return min === 1 ? one(noun) : `${number(min)} ${noun.many}`;
  if (min === 0 && max === 1) return `an optional ${noun.one}`;
  if (max === Number.POSITIVE_INFINITY) {
    if (min === 0) return `any number of ${noun.many}`;
    if (min === 1) return `one or more ${noun.many}`;
    return `at least ${min} ${noun.many}`;
  }
  return `${min} to ${max} ${noun.many}`;
}

function describe(node: Node): string {
  switch (node.kind) {
    case "seq": {
      const words: string[] = [];
      let literal = "";
      const flush = () => {
        if (literal) words.push(JSON.stringify(literal));
        literal = "";
      };
      for (const item of node.items) {
        if (item.kind === "anchor") continue;
        if (item.kind === "literal") {
          literal += String.fromCodePoint(item.codePoint);
          continue;
        }
        flush();
        words.push(describe(item));
      }
      flush();
      return words.length === 0 ? "nothing" : words.join(", then ");
    }
    case "alt": {
      const options = node.options.map(describe);
      return options.length === 2 ? `either ${options[0]} or ${options[1]}` : `one of: ${options.join("; ")}`;
    }
    case "class":
      return one(describeClass(node));
    case "literal":
      return JSON.stringify(String.fromCodePoint(node.codePoint));
    case "anchor":
      return "";
    case "repeat": {
      const inner = node.node;
      if (inner.kind === "class") return quantity(node.min, node.max, describeClass(inner));
      const text = describe(inner);
      const wrapped = inner.kind === "literal" ? text : `(${text})`;
      return quantity(node.min, node.max, { one: wrapped, many: wrapped });
    }
  }
}

/**
 * Analyzes a schema pattern; undefined when it uses a feature this module does
 * not model (the package then explains a mismatch without naming a character).
 *
 * @example
 * analyzePattern("^[0-9a-f]{32}$")
 * // { allowed: [[48, 57], [97, 102]], shape: "32 lowercase hexadecimal characters", fixedLength: 32 }
 */
export function analyzePattern(pattern: string): PatternAnalysis | undefined {
  let tree: Node;
  try {
    tree = new PatternParser(pattern).parse();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  const allowed: ClassPart[] = [];
  collectAllowed(tree, allowed);
  const anchored = isAnchored(tree);
  const shape = anchored ? describe(tree) : `something containing ${describe(tree)}`;
  return {
    allowed: anchored ? mergeRanges(allowed) : undefined,
    shape,
    fixedLength: anchored ? fixedLength(tree) : undefined,
  };
}
