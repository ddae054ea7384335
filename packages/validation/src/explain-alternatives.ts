import type { AjvError, SchemaHints } from "./compiled-validator.js";
import { formatPath } from "./describe-value.js";
import { type Alternatives, decodePointer, type Explanation, explainErrors } from "./explain-errors.js";

/** True when `inner` is `outer` followed by `/` and more (a JSON Pointer below it), without allocating. */
const below = (inner: string, outer: string): boolean =>
  inner.length > outer.length && inner.charCodeAt(outer.length) === 0x2f && inner.startsWith(outer);

/** True when `error` was found inside one of the branches of the `anyOf`/`oneOf` that `owner` reports, for the same value. */
const ownedBy = (error: AjvError, owner: AjvError): boolean =>
  error !== owner &&
  below(error.schemaPath, owner.schemaPath) &&
  (error.instancePath === owner.instancePath || below(error.instancePath, owner.instancePath));

/** Explains one `anyOf`/`oneOf` failure from the failures inside each of its branches. */
function explainAlternatives(owner: AjvError, errors: readonly AjvError[], hints: SchemaHints, root: unknown): Explanation {
  const segments = decodePointer(owner.instancePath);
  const byBranch = new Map<string, AjvError[]>();
  for (const error of errors) {
    if (!ownedBy(error, owner)) continue;
    const index = error.schemaPath.slice(owner.schemaPath.length + 1).split("/")[0] as string;
    const found = byBranch.get(index) ?? [];
    found.push(error);
    byBranch.set(index, found);
  }
  if (byBranch.size === 0) return { segments, rule: owner.keyword, text: "matches more than one of the allowed forms" };
  const branches = [...byBranch].map(([index, found]) => ({
    noun: hints[`${owner.schemaPath}/${index}`]?.noun ?? `form ${Number(index) + 1}`,
    explained: explainErrors(found, hints, root, alternatives),
  }));
  // When the value has the wrong type for every form, say that once.
  const typeOnly = branches.every(
    (b) => b.explained.length === 1 && b.explained[0]?.rule === "type" && b.explained[0].segments.length === segments.length,
  );
  const texts = branches.map((b) => b.explained[0]?.text);
  if (typeOnly && texts.every((t) => t === texts[0])) return { segments, rule: "type", text: texts[0] as string };
  const reasons = branches.map(
    (b) =>
      `${b.noun} (${b.explained.map((e) => (e.segments.length > segments.length ? `${formatPath("", e.segments.slice(segments.length))}: ${e.text}` : e.text)).join("; ")})`,
  );
  const text = reasons.length === 2 ? `matches neither ${reasons[0]} nor ${reasons[1]}` : `matches none of: ${reasons.join(", ")}`;
  return { segments, rule: owner.keyword, text };
}

/** How the validators of schemas with `anyOf`/`oneOf` explain those failures (the generated modules pass it). */
export const alternatives: Alternatives = { owns: (owner, error) => ownedBy(error, owner), explain: explainAlternatives };
