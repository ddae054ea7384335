import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  akSkAuthorizationSchema,
  iamTokenSchema,
  type StandardSchemaV1,
  secretKeySchema,
  securityTokenSchema,
  type ValidationResult,
  validateAkSkAuthorization,
  validateIamToken,
  validateSecretKey,
  validateSecurityToken,
} from "../src/index.js";

type Validate = (value: unknown, path?: string) => ValidationResult<string>;

const printable = fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c));
const alphanumeric = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
const secretText = fc.string({ unit: printable, minLength: 4, maxLength: 80 });

// `unit`: characters every position of the schema's pattern may hold somewhere, so that the only
// character a message may refer to is the bad one inserted.
const secrets: Array<{ name: string; validate: Validate; standard: StandardSchemaV1; unit: fc.Arbitrary<string> }> = [
  { name: "IamToken", validate: validateIamToken, standard: iamTokenSchema, unit: printable },
  { name: "SecretKey", validate: validateSecretKey, standard: secretKeySchema, unit: printable },
  { name: "SecurityToken", validate: validateSecurityToken, standard: securityTokenSchema, unit: printable },
  { name: "AkSkAuthorization", validate: validateAkSkAuthorization, standard: akSkAuthorizationSchema, unit: alphanumeric },
];
const badCharacter = fc.oneof(
  fc.integer({ min: 0, max: 0x20 }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x7f, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
);
/** A secret-looking string with one bad character somewhere. */
const secretWithBadCharacter = (unit: fc.Arbitrary<string>) =>
  fc.record({ text: fc.string({ unit, minLength: 4, maxLength: 80 }), bad: badCharacter, at: fc.nat() }).map(({ text, bad, at }) => {
    const i = at % (text.length + 1);
    return { value: text.slice(0, i) + bad + text.slice(i), at: i, bad };
  });

/** The same string with every character but the bad one replaced, so it shares no content with the original. */
const masked = ({ value, at, bad }: { value: string; at: number; bad: string }): string =>
  "x".repeat(at) + bad + "x".repeat(value.length - at - bad.length);

function texts(validate: Validate, standard: StandardSchemaV1, value: string): string {
  const result = validate(value);
  const std = standard["~standard"].validate(value) as StandardSchemaV1.Result<unknown>;
  return [
    ...(result.ok ? [] : result.issues.map((i) => `${i.path} ${i.message} ${i.rule}`)),
    ...(std.issues ?? []).map((i) => i.message),
  ].join("\n");
}

const substrings = (s: string, n: number): string[] => Array.from({ length: Math.max(0, s.length - n + 1) }, (_, i) => s.slice(i, i + n));

describe.each(secrets)("$name values are never echoed", ({ validate, standard, unit }) => {
  it("is rejected, and no substring of 4 or more characters of it appears in any message", () => {
    fc.assert(
      fc.property(fc.oneof(secretWithBadCharacter(unit), secretWithBadCharacter(printable)), (input) => {
        const message = texts(validate, standard, input.value);
        // Words of the message template itself (present whatever the content) are not an echo.
        const template = texts(validate, standard, masked(input));
        const echoed = substrings(input.value, 4).filter((s) => message.includes(s) && !template.includes(s));
        expect(validate(input.value).ok).toBe(false);
        expect(echoed).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it("messages depend only on the bad character's position and kind, not on the rest of the value", () => {
    fc.assert(
      fc.property(secretWithBadCharacter(unit), (input) => {
        expect(texts(validate, standard, input.value)).toBe(texts(validate, standard, masked(input)));
      }),
      { numRuns: 500 },
    );
  });

  it("a value of the wrong length or shape is not quoted either", () => {
    fc.assert(
      fc.property(fc.string({ unit: printable, minLength: 300, maxLength: 400 }), secretText, (long, text) => {
        // 120 repeats of 300+ characters exceed every maxLength (32768); the distinct
        // 8-character pieces of the repeated value are those of two copies of one unit.
        for (const [value, pieces] of [
          [long.repeat(120), substrings(long.repeat(2), 8)],
          [text, substrings(text, 8)],
        ] as const) {
          const message = texts(validate, standard, value);
          expect([...new Set(pieces)].filter((s) => message.includes(s))).toEqual([]);
        }
      }),
      { numRuns: 30 },
    );
  });
});
