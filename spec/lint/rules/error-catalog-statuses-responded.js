import { errorCatalog, isObject, operationResponses, statusCovers } from "../lib/openapi.js";

/**
 * Every status an `x-error-catalog` entry lists is a response some operation
 * declares (exactly, or through a `4XX`/`5XX` range or `default`). A catalog
 * status without a response documents an answer no client is typed for: remove
 * the status, or declare the response.
 */
export function errorCatalogStatusesResponded() {
  return {
    Root: {
      leave(root, ctx) {
        const catalog = errorCatalog(root);
        if (!catalog) return; // error-catalog-entries reports a missing catalog
        const declared = new Set();
        for (const { status } of operationResponses(root, ctx)) declared.add(status);
        for (const [code, entry] of Object.entries(catalog)) {
          if (!isObject(entry) || !Array.isArray(entry.statuses)) continue;
          for (const [i, status] of entry.statuses.entries()) {
            if (!Number.isInteger(status)) continue; // error-catalog-entries reports it
            if ([...declared].some((d) => statusCovers([status], d))) continue;
            ctx.report({
              message: `Catalog entry ${code} lists status ${status}, but no operation declares a ${status} response.`,
              location: ctx.location.child(["x-error-catalog", code, "statuses", i]),
            });
          }
        }
      },
    },
  };
}
