import { errorCatalog, isObject } from "../lib/openapi.js";

const TEXT_FIELDS = ["message", "meaning", "remedy"];

/**
 * `x-error-catalog` exists and each entry has the fields the generated
 * catalog promises its users: `statuses` (the HTTP error statuses the code
 * comes with), `message`, `meaning` and `remedy` (text), `retryable` (boolean),
 * and optionally `retryableStatuses` (a non-empty subset of `statuses`).
 */
export function errorCatalogEntries() {
  return {
    Root: {
      leave(root, ctx) {
        if (!errorCatalog(root)) {
          ctx.report({ message: "The root x-error-catalog extension is missing or is not a map of error codes.", location: ctx.location });
          return;
        }
        for (const [code, entry] of Object.entries(root["x-error-catalog"])) {
          const at = ctx.location.child(["x-error-catalog", code]);
          if (!isObject(entry)) {
            ctx.report({ message: `Catalog entry ${code} must be a map.`, location: at });
            continue;
          }
          const { statuses } = entry;
          const validStatuses =
            Array.isArray(statuses) && statuses.length > 0 && statuses.every((s) => Number.isInteger(s) && s >= 400 && s <= 599);
          if (!validStatuses) {
            ctx.report({
              message: `Catalog entry ${code}: statuses must be a non-empty list of HTTP error statuses (integers 400-599).`,
              location: "statuses" in entry ? at.child(["statuses"]) : at.key(),
            });
          }
          for (const field of TEXT_FIELDS) {
            if (typeof entry[field] !== "string" || entry[field].trim() === "") {
              ctx.report({
                message: `Catalog entry ${code}: ${field} must be a non-empty string.`,
                location: field in entry ? at.child([field]) : at.key(),
              });
            }
          }
          if ("retryableStatuses" in entry) {
            const { retryableStatuses } = entry;
            const subset =
              Array.isArray(retryableStatuses) &&
              retryableStatuses.length > 0 &&
              retryableStatuses.every((s) => Array.isArray(statuses) && statuses.includes(s));
            if (!subset) {
              ctx.report({
                message: `Catalog entry ${code}: retryableStatuses must be a non-empty list of statuses the entry's statuses include.`,
                location: at.child(["retryableStatuses"]),
              });
            }
          }
          if (typeof entry.retryable !== "boolean") {
            ctx.report({
              message: `Catalog entry ${code}: retryable must be true or false.`,
              location: "retryable" in entry ? at.child(["retryable"]) : at.key(),
            });
          }
        }
      },
    },
  };
}
