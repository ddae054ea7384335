// The project's own spec lint rules, loaded by redocly.yaml (`plugins`).
// Redocly 2.x loads plugins as ES modules and calls the default export.
import { errorCatalogCodesUsed } from "./rules/error-catalog-codes-used.js";
import { errorCatalogEntries } from "./rules/error-catalog-entries.js";
import { errorCatalogStatusesResponded } from "./rules/error-catalog-statuses-responded.js";
import { errorExampleCodesCataloged } from "./rules/error-example-codes-cataloged.js";
import { errorResponsesHaveExamples } from "./rules/error-responses-have-examples.js";
import { headerSchemaRefs } from "./rules/header-schema-refs.js";
import { provenance } from "./rules/provenance.js";

export default function geminidbSpecRules() {
  return {
    id: "geminidb",
    rules: {
      oas3: {
        "error-responses-have-examples": errorResponsesHaveExamples,
        "error-catalog-codes-used": errorCatalogCodesUsed,
        "error-example-codes-cataloged": errorExampleCodesCataloged,
        "error-catalog-entries": errorCatalogEntries,
        "header-schema-refs": headerSchemaRefs,
        "error-catalog-statuses-responded": errorCatalogStatusesResponded,
        provenance,
      },
    },
  };
}
