import { apiErrorClassFor } from "@geminidb-sessions/core";
import { type ErrorCode, errorCatalog } from "@geminidb-sessions/validation";
import type { Scenario } from "../scenario.js";

const forms = ["flat", "nested"] as const;

/**
 * Every (code, status) pair of the spec's catalog, injected at the gateway in both error
 * body forms (`{error_code, error_msg}` and `{error: {code, message}}`), on every request.
 */
export const catalogFaultScenarios: Scenario[] = Object.entries(errorCatalog).flatMap(([code, entry]) =>
  entry.statuses.flatMap((status) => {
    const retryable = entry.retryable || ("retryableStatuses" in entry && (entry.retryableStatuses as readonly number[]).includes(status));
    return forms.map(
      (form): Scenario => ({
        name: `${code} at HTTP ${status}, ${form} body`,
        faults: [{ effect: { type: "error", code: code as ErrorCode, status, form } }],
        expected: {
          result: "rejected",
          errorClass: apiErrorClassFor(status).name,
          status,
          code,
          retryable,
          requestIdPresent: true,
          requests: retryable ? 3 : 1,
        },
      }),
    );
  }),
);
