import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isInstanceId, isProjectId, validateCloseInstanceSessionsInput, validateInstanceId, validateProjectId } from "../src/index.js";
import { spec } from "./support/spec.js";

// Examples from the spec: valid IDs to corrupt.
const PROJECT = spec.components.schemas.ProjectId?.examples?.[0] as string;
const INSTANCE = spec.components.schemas.InstanceId?.examples?.[0] as string;

/** What must never reach a request line through an ID (the issue's list, not the spec's pattern). */
const structural = fc.constantFrom("/", "..", "?", "#", "%", ";", "\\", "%2F", "../");
const whitespace = fc.constantFrom(
  " ",
  "\t",
  "\n",
  "\r",
  "\v",
  "\f",
  "\u00a0",
  "\u1680",
  "\u2000",
  "\u2028",
  "\u2029",
  "\u202f",
  "\u3000",
  "\ufeff",
);
const control = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));
const highControl = fc.integer({ min: 0x7f, max: 0x9f }).map((c) => String.fromCharCode(c));
const nonAscii = fc.oneof(
  fc.integer({ min: 0x80, max: 0xffff }).map((c) => String.fromCharCode(c)), // includes lone surrogates
  fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
);
const forbidden = fc.oneof(structural, whitespace, control, highControl, nonAscii);

const codeUnitStrings = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 });

/** A valid ID with a forbidden fragment inserted or substituted somewhere, possibly trimmed to keep the length right. */
function corrupted(valid: string) {
  return fc
    .record({ fragment: forbidden, at: fc.nat({ max: valid.length }), mode: fc.constantFrom("insert", "replace", "keep-length") })
    .map(({ fragment, at, mode }) => {
      if (mode === "insert") return valid.slice(0, at) + fragment + valid.slice(at);
      if (mode === "replace") return valid.slice(0, at) + fragment + valid.slice(at + fragment.length);
      return (valid.slice(0, at) + fragment + valid.slice(at)).slice(0, valid.length);
    });
}

const containsForbidden = (s: string): boolean =>
  /[/?#%;\\\s]|\.\./u.test(s) ||
  [...s].some((c) => (c.codePointAt(0) as number) < 0x20 || (c.codePointAt(0) as number) >= 0x7f) ||
  /[\ud800-\udfff]/.test(s);

describe("no ID containing /, .., ?, #, %, ;, whitespace, control or non-ASCII characters is ever accepted", () => {
  it("the spec's examples are accepted, so rejections below are about the inserted character", () => {
    expect(isProjectId(PROJECT)).toBe(true);
    expect(isInstanceId(INSTANCE)).toBe(true);
  });

  it("project IDs: a corrupted valid ID is rejected with a message naming the character", () => {
    fc.assert(
      fc.property(corrupted(PROJECT), (id) => {
        fc.pre(containsForbidden(id));
        const result = validateProjectId(id);
        expect(result.ok).toBe(false);
        expect(isProjectId(id)).toBe(false);
        if (!result.ok)
          expect(result.issues.some((issue) => issue.rule === "pattern" && /is not allowed in a project ID/.test(issue.message))).toBe(
            true,
          );
      }),
      { numRuns: 1000 },
    );
  });

  it("instance IDs: a corrupted valid ID is rejected with a message naming the character", () => {
    fc.assert(
      fc.property(corrupted(INSTANCE), (id) => {
        fc.pre(containsForbidden(id));
        const result = validateInstanceId(id);
        expect(result.ok).toBe(false);
        expect(isInstanceId(id)).toBe(false);
        if (!result.ok)
          expect(result.issues.some((issue) => issue.rule === "pattern" && /is not allowed in an instance ID/.test(issue.message))).toBe(
            true,
          );
      }),
      { numRuns: 1000 },
    );
  });

  it("the path parameters validator rejects them too", () => {
    fc.assert(
      fc.property(corrupted(PROJECT), corrupted(INSTANCE), fc.boolean(), (project, instance, corruptProject) => {
        const params = corruptProject ? { projectId: project, instanceId: INSTANCE } : { projectId: PROJECT, instanceId: instance };
        fc.pre(containsForbidden(corruptProject ? project : instance));
        expect(validateCloseInstanceSessionsInput(params).ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("arbitrary strings: whatever is accepted contains none of those characters", () => {
    fc.assert(
      fc.property(fc.oneof(codeUnitStrings, corrupted(PROJECT), corrupted(INSTANCE)), (s) => {
        if (isProjectId(s) || isInstanceId(s)) expect(containsForbidden(s)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
