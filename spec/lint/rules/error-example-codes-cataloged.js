import {
  dedupedReporter,
  errorCatalog,
  errorCodeOf,
  isErrorStatus,
  isObject,
  mediaTypeExamples,
  operationResponses,
  responseMediaTypes,
  statusCovers,
} from "../lib/openapi.js";

/**
 * Every response example's error code is listed in `x-error-catalog`, and the
 * catalog says that code comes with the status the example is shown under.
 * Clients derive their typed codes and retry decisions from the catalog, so
 * an example outside it documents an error no client knows about.
 */
export function errorExampleCodesCataloged() {
  return {
    Root: {
      leave(root, ctx) {
        const catalog = errorCatalog(root) ?? {};
        const report = dedupedReporter(ctx);
        for (const { operationName, status, response, location } of operationResponses(root, ctx)) {
          for (const { mediaType, location: at } of responseMediaTypes(response, location)) {
            for (const example of mediaTypeExamples(ctx, mediaType, at)) {
              const where = `Example "${example.name}" of response ${status} of ${operationName}`;
              const code = errorCodeOf(example.value);
              if (code === undefined) {
                // A JSON error body without a code would let an uncatalogued error slip past both rules.
                if (isErrorStatus(status) && isObject(example.value)) {
                  report(`${where} has neither error_code nor error.code.`, example.location);
                }
                continue;
              }
              const entry = Object.hasOwn(catalog, code) ? catalog[code] : undefined;
              if (!isObject(entry)) {
                report(`${where} uses error code ${code}, which x-error-catalog does not list.`, example.location);
              } else if (!statusCovers(entry.statuses, status)) {
                report(
                  `${where} uses error code ${code}, whose x-error-catalog statuses ${JSON.stringify(entry.statuses)} do not include ${status}.`,
                  example.location,
                );
              }
            }
          }
        }
      },
    },
  };
}
