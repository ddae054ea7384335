/** How the validation generator names things: files, functions, and what a person calls a schema. */

/** `AkSkAuthorization` → `ak-sk-authorization`, for file names. */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
}

/** `clearInstanceSessions` → `ClearInstanceSessions`. */
export function pascalCase(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** `AkSkAuthorization` → `akSkAuthorization`. */
export function camelCase(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

// Letters whose spoken name starts with a vowel sound ("an IAM", "an SK", "an X-header").
const VOWEL_SOUND_LETTERS = new Set("AEFHILMNORSX");

/**
 * The schema's title as a noun phrase with its article, for messages such as
 * "'/' is not allowed in an instance ID". Acronyms keep their case.
 *
 * @example
 * nounFromTitle("Instance ID") // "an instance ID"
 * nounFromTitle("IAM token") // "an IAM token"
 * nounFromTitle("Security token") // "a security token"
 */
export function nounFromTitle(title: string): string {
  const [first = "", ...rest] = title.trim().split(/\s+/);
  const isAcronym = /[A-Z].*[A-Z]/.test(first) || /[^A-Za-z]/.test(first.replace(/[.,:;]$/, ""));
  const word = isAcronym ? first : first.charAt(0).toLowerCase() + first.slice(1);
  const initial = word.charAt(0);
  const vowel = isAcronym ? VOWEL_SOUND_LETTERS.has(initial.toUpperCase()) : /[aeiou]/i.test(initial);
  return [vowel ? "an" : "a", word, ...rest].join(" ");
}
