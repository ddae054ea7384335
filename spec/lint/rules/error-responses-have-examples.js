import { dedupedReporter, isErrorStatus, operationResponses, responseMediaTypes } from "../lib/openapi.js";

/**
 * Every error response (4xx, 5xx, `default`) shows at least one example in
 * each media type: the examples are what the error-catalog rules check, and
 * what reviewers and generated docs show callers.
 */
export function errorResponsesHaveExamples() {
  return {
    Root: {
      leave(root, ctx) {
        const report = dedupedReporter(ctx);
        for (const { operationName, status, response, location } of operationResponses(root, ctx)) {
          if (!isErrorStatus(status)) continue;
          for (const { mediaTypeName, mediaType, location: at } of responseMediaTypes(response, location)) {
            const hasExample = "example" in mediaType || (mediaType.examples && Object.keys(mediaType.examples).length > 0);
            if (!hasExample) {
              report(`Error response ${status} of ${operationName} has no example for media type ${mediaTypeName}.`, at.key());
            }
          }
        }
      },
    },
  };
}
