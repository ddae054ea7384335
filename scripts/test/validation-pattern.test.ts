import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nounFromTitle } from "../generators/validation-names.js";
import { analyzePattern } from "../generators/validation-pattern.js";
import { loadSpec } from "../lib/repo.js";

const inRanges = (cp: number, ranges: Array<[number, number]>) => ranges.some(([from, to]) => cp >= from && cp <= to);

describe("analyzePattern", () => {
  it("describes the spec's ID patterns in words", () => {
    expect(analyzePattern("^[0-9a-f]{32}$")).toEqual({
      allowed: [
        [0x30, 0x39],
        [0x61, 0x66],
      ],
      shape: "32 lowercase hexadecimal characters",
      fixedLength: 32,
    });
    expect(analyzePattern("^[0-9a-f]{32}in[0-9]{2}$")?.shape).toBe(`32 lowercase hexadecimal characters, then "in", then 2 digits`);
    expect(analyzePattern("^[0-9a-f]{32}in[0-9]{2}$")?.fixedLength).toBe(36);
    expect(analyzePattern("^\\d{8}T\\d{6}Z$")?.shape).toBe(`8 digits, then "T", then 6 digits, then "Z"`);
    expect(analyzePattern("^[\\x21-\\x7E]+$")).toEqual({
      allowed: [[0x21, 0x7e]],
      shape: "one or more printable ASCII characters other than space",
      fixedLength: undefined,
    });
    expect(analyzePattern("^[A-Za-z0-9]+$")?.shape).toBe("one or more letters or digits");
  });

  it("handles alternation, optional parts, ranges of counts and negated classes", () => {
    expect(analyzePattern("^(\\d{1,9}|[A-Za-z]{3})$")?.shape).toBe("either 1 to 9 digits or 3 letters");
    expect(analyzePattern("^a?b*$")?.shape).toBe(`an optional "a", then any number of "b"`);
    expect(analyzePattern("^[^/]+$")?.shape).toBe("one or more characters other than '/'");
    expect(analyzePattern("^[-_]{2,}$")?.shape).toBe("at least 2 characters from '-' or '_'");
  });

  it("gives no allowed set for a pattern that is not anchored at both ends", () => {
    expect(analyzePattern("[0-9]+")?.allowed).toBeUndefined();
    expect(analyzePattern("^[0-9]+")?.allowed).toBeUndefined();
  });

  it("returns undefined for features it does not model, rather than a wrong answer", () => {
    for (const pattern of ["^(?=a)b$", "^(a)\\1$", "^\\bword$", "^\\p{L}+$"]) expect(analyzePattern(pattern), pattern).toBeUndefined();
  });

  it("every character a match can contain is in the allowed set (property, for every pattern in the spec)", async () => {
    const { document } = await loadSpec();
    const patterns: string[] = [];
    JSON.stringify(document, (key, value) => {
      if (key === "pattern" && typeof value === "string") patterns.push(value);
      return value;
    });
    expect(patterns.length).toBeGreaterThan(5);
    for (const pattern of patterns) {
      const analysis = analyzePattern(pattern);
      expect(analysis, pattern).toBeDefined();
      const allowed = analysis?.allowed as Array<[number, number]>;
      const regex = new RegExp(pattern, "u");
      fc.assert(
        fc.property(fc.stringMatching(regex), (match) => {
          for (const c of match) expect(inRanges(c.codePointAt(0) as number, allowed)).toBe(true);
          if (analysis?.fixedLength !== undefined) expect([...match].length).toBe(analysis.fixedLength);
        }),
        { numRuns: 200 },
      );
    }
  });
});

describe("nounFromTitle", () => {
  it("chooses the article by sound and keeps acronyms", () => {
    expect(nounFromTitle("Instance ID")).toBe("an instance ID");
    expect(nounFromTitle("Project ID")).toBe("a project ID");
    expect(nounFromTitle("IAM token")).toBe("an IAM token");
    expect(nounFromTitle("AK/SK Authorization header")).toBe("an AK/SK Authorization header");
    expect(nounFromTitle("SDK date")).toBe("an SDK date");
    expect(nounFromTitle("Security token")).toBe("a security token");
  });
});
