import {
  errorCatalogOf,
  firstErrorResponse,
  isJsonObject,
  type JsonObject,
  objectAt,
  operationResponses,
  securitySchemes,
} from "./openapi-document.js";

/**
 * Copies of the real spec, each broken in one way that one lint rule must
 * catch. They are derived from the spec at test time, so they stay in step
 * with it and differ from a passing document only by the breakage.
 */
export interface BrokenSpec {
  /** What is wrong; also the fixture's file name. */
  name: string;
  /** The rule that must report it. */
  rule: string;
  /** Other rules that also report it (by default none may: the fixture must fail for the intended reason). */
  alsoReportedBy?: string[];
  /** Text each expected problem's message contains, one problem per entry at least. */
  mentions: string[];
  /** Breaks the given copy of the spec in place. */
  breakSpec(doc: JsonObject): void;
}

/** The first media type (by declaration order) of the first error response, resolved. */
function firstErrorMediaType(doc: JsonObject): { status: string; mediaType: JsonObject } {
  const { status, response } = firstErrorResponse(doc);
  const content = isJsonObject(response.content) ? response.content : {};
  const [first] = Object.values(content);
  if (!isJsonObject(first)) throw new Error(`Error response ${status} has no media type`);
  return { status, mediaType: first };
}

function firstSchemeWithHeaderSchema(doc: JsonObject): JsonObject {
  const scheme = securitySchemes(doc).find((s) => "x-header-schema" in s);
  if (!scheme) throw new Error("No security scheme has x-header-schema");
  return scheme;
}

function addExample(mediaType: JsonObject, name: string, value: unknown): void {
  const examples = isJsonObject(mediaType.examples) ? mediaType.examples : {};
  examples[name] = { summary: "Added by the lint fixture", value };
  mediaType.examples = examples;
}

export const brokenSpecs: BrokenSpec[] = [
  {
    name: "operation-without-operationId",
    rule: "operation-operationId",
    mentions: ["operationId"],
    breakSpec(doc) {
      const [first] = operationResponses(doc);
      if (!first) throw new Error("The spec declares no operation");
      delete objectAt(doc, first.operationPointer).operationId;
    },
  },
  {
    name: "error-response-without-example",
    rule: "geminidb/error-responses-have-examples",
    mentions: ["text/plain"],
    breakSpec(doc) {
      // A new media type without examples: removing existing examples would
      // also leave catalog codes unused and trip a second rule.
      const { response } = firstErrorResponse(doc);
      const content = isJsonObject(response.content) ? response.content : {};
      content["text/plain"] = { schema: { type: "string" } };
      response.content = content;
    },
  },
  {
    name: "catalog-code-without-example",
    rule: "geminidb/error-catalog-codes-used",
    mentions: ["FIXTURE.0001"],
    breakSpec(doc) {
      errorCatalogOf(doc)["FIXTURE.0001"] = {
        statuses: [400],
        message: "Never shown.",
        meaning: "A code that no response example uses.",
        remedy: "None.",
        retryable: false,
        "x-assumption": "A fixture entry.",
      };
    },
  },
  {
    name: "example-code-with-wrong-status",
    rule: "geminidb/error-example-codes-cataloged",
    mentions: ['"wrong-status"'],
    breakSpec(doc) {
      const { status, mediaType } = firstErrorMediaType(doc);
      const wrong = Object.entries(errorCatalogOf(doc)).find(
        ([, entry]) => Array.isArray(entry.statuses) && !entry.statuses.includes(Number(status)),
      );
      if (!wrong) throw new Error(`Every catalog code allows status ${status}; cannot build this fixture`);
      addExample(mediaType, "wrong-status", { error_code: wrong[0], error_msg: "Shown under a status its catalog entry does not list." });
    },
  },
  {
    name: "example-code-not-in-catalog",
    rule: "geminidb/error-example-codes-cataloged",
    mentions: ["FIXTURE.0002"],
    breakSpec(doc) {
      addExample(firstErrorMediaType(doc).mediaType, "uncatalogued", { error: { code: "FIXTURE.0002", message: "Not in the catalog." } });
    },
  },
  {
    name: "error-example-without-code",
    rule: "geminidb/error-example-codes-cataloged",
    mentions: ['"no-code"'],
    breakSpec(doc) {
      addExample(firstErrorMediaType(doc).mediaType, "no-code", { error_msg: "A body with no code." });
    },
  },
  {
    name: "catalog-entry-malformed",
    rule: "geminidb/error-catalog-entries",
    mentions: ["statuses", "remedy", "retryable"],
    breakSpec(doc) {
      const [entry] = Object.values(errorCatalogOf(doc));
      if (!entry || !Array.isArray(entry.statuses)) throw new Error("The catalog's first entry has no statuses");
      // Keep the valid statuses so that the example rules still pass: only the entry's shape is wrong.
      entry.statuses = [...entry.statuses, "599"];
      delete entry.remedy;
      entry.retryable = "yes";
    },
  },
  {
    name: "header-schema-to-missing-schema",
    rule: "geminidb/header-schema-refs",
    // Redocly resolves every $ref, even in extensions, so its own rule reports the dangling one too.
    alsoReportedBy: ["no-unresolved-refs"],
    mentions: ["#/components/schemas/NoSuchSchema"],
    breakSpec(doc) {
      firstSchemeWithHeaderSchema(doc)["x-header-schema"] = { $ref: "#/components/schemas/NoSuchSchema" };
    },
  },
  {
    name: "header-schema-name-of-missing-schema",
    rule: "geminidb/header-schema-refs",
    mentions: ["NoSuchSchema"],
    breakSpec(doc) {
      firstSchemeWithHeaderSchema(doc)["x-header-schema"] = "NoSuchSchema";
    },
  },
  {
    name: "catalog-status-without-response",
    rule: "geminidb/error-catalog-statuses-responded",
    mentions: ["status 413"],
    breakSpec(doc) {
      // The 413 response removed from every operation while the catalog still lists 413.
      for (const { operationPointer } of operationResponses(doc)) {
        const responses = objectAt(doc, operationPointer).responses;
        if (isJsonObject(responses)) delete responses["413"];
      }
    },
  },
  {
    name: "catalog-entry-without-provenance",
    rule: "geminidb/provenance",
    mentions: ["Catalog entry DBS.200002"],
    breakSpec(doc) {
      const entry = errorCatalogOf(doc)["DBS.200002"];
      if (!entry) throw new Error("The catalog has no DBS.200002");
      delete entry["x-source"];
      delete entry["x-assumption"];
    },
  },
  {
    name: "operation-without-provenance",
    rule: "geminidb/provenance",
    mentions: ["Operation "],
    breakSpec(doc) {
      const [first] = operationResponses(doc);
      if (!first) throw new Error("The spec declares no operation");
      const operation = objectAt(doc, first.operationPointer);
      delete operation["x-source"];
      delete operation["x-assumption"];
    },
  },
  {
    name: "source-not-https",
    rule: "geminidb/provenance",
    mentions: ["must use https"],
    breakSpec(doc) {
      const entry = errorCatalogOf(doc)["DBS.200002"];
      if (!entry) throw new Error("The catalog has no DBS.200002");
      entry["x-source"] = "http://support.huaweicloud.com/intl/en-us/api-nosql/nosql_error_code.html";
    },
  },
  {
    name: "source-not-absolute",
    rule: "geminidb/provenance",
    mentions: ["is not an absolute URL"],
    breakSpec(doc) {
      objectAt(doc, "#/components/parameters/Limit")["x-source"] = ["support.huaweicloud.com/api-nosql/nosql_05_0053.html"];
    },
  },
  {
    name: "assumption-empty",
    rule: "geminidb/provenance",
    mentions: ["x-assumption must be a non-empty reason"],
    breakSpec(doc) {
      objectAt(doc, "#/components/schemas/NodeId")["x-assumption"] = "  ";
    },
  },
  {
    name: "retryable-statuses-outside-statuses",
    rule: "geminidb/error-catalog-entries",
    mentions: ["retryableStatuses"],
    breakSpec(doc) {
      const entry = errorCatalogOf(doc)["DBS.200019"];
      if (!entry) throw new Error("The catalog has no DBS.200019");
      entry.retryableStatuses = [503];
    },
  },
];
