import { errorCatalog, errorCodeOf, mediaTypeExamples, operationResponses, responseMediaTypes } from "../lib/openapi.js";

/**
 * Every code in `x-error-catalog` is shown by at least one response example:
 * a code no example uses is either dead (remove it) or undocumented in the
 * responses (add the example under the status it comes with).
 */
export function errorCatalogCodesUsed() {
  return {
    Root: {
      leave(root, ctx) {
        const catalog = errorCatalog(root);
        if (!catalog) return; // error-catalog-entries reports a missing catalog
        const used = new Set();
        for (const { response, location } of operationResponses(root, ctx)) {
          for (const { mediaType, location: at } of responseMediaTypes(response, location)) {
            for (const { value } of mediaTypeExamples(ctx, mediaType, at)) {
              const code = errorCodeOf(value);
              if (code !== undefined) used.add(code);
            }
          }
        }
        for (const code of Object.keys(catalog)) {
          if (used.has(code)) continue;
          ctx.report({
            message: `Error code ${code} is in x-error-catalog but no response example uses it (as error_code or error.code).`,
            location: ctx.location.child(["x-error-catalog", code]).key(),
          });
        }
      },
    },
  };
}
