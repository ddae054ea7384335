import { describe, expect, it } from "vitest";
import { errorCatalog, regionEndpoints } from "../src/index.js";

// The generator copies these facts out of spec/openapi.yaml, and `pnpm generate:check` (CI)
// proves the generated files match the spec, so comparing them with the spec again could never
// fail on its own. What it cannot prove is that the spec says what the vendor documents: the
// expected values below are copied by hand from the vendor's sources (the spec's `x-source`s),
// never read from the spec:
// - regions: the region list of @huaweicloud/huaweicloud-sdk-gaussdbfornosql 3.1.215;
// - DBS codes: https://support.huaweicloud.com/intl/en-us/api-nosql/nosql_error_code.html;
// - APIGW codes: https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-errorcode.html.

/** The regions the vendor SDK lists for GeminiDB (huaweicloud-sdk-gaussdbfornosql 3.1.215), in its order. */
const documentedRegions = [
  "af-south-1",
  "cn-north-4",
  "cn-north-1",
  "cn-east-2",
  "cn-east-3",
  "cn-south-1",
  "cn-southwest-2",
  "ap-southeast-2",
  "ap-southeast-1",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "me-east-1",
  "cn-east-4",
  "cn-south-4",
  "cn-southwest-3",
  "tr-west-1",
  "ru-northwest-2",
  "cn-south-2",
  "cn-north-2",
  "la-north-2",
  "sa-brazil-1",
  "la-south-2",
  "cn-north-9",
  "eu-west-101",
  "cn-north-11",
  "ru-moscow-1",
];

/** The endpoint pattern the vendor documents; `eu-west-101` alone is served under `.myhuaweicloud.eu`. */
const documentedEndpoint = (region: string) =>
  `https://gaussdb-nosql.${region}.${region === "eu-west-101" ? "myhuaweicloud.eu" : "myhuaweicloud.com"}`;

/** The service's error codes for these operations and the gateway's, with the statuses the vendor documents for each. */
const documentedStatuses: Record<string, number[]> = {
  "DBS.200001": [400],
  "DBS.200002": [404],
  "DBS.200010": [400],
  "DBS.200011": [403],
  "DBS.200013": [404],
  "DBS.200018": [403],
  "DBS.200019": [403],
  "APIGW.0101": [404],
  "APIGW.0103": [404],
  "APIGW.0105": [400],
  "APIGW.0201": [400, 413, 414, 494, 502, 504],
  "APIGW.0301": [401],
  "APIGW.0302": [403],
  "APIGW.0303": [401],
  "APIGW.0308": [429],
};

/** The service's own error messages, word for word (placeholders included). */
const documentedServiceMessages: Record<string, string> = {
  "DBS.200001": "Parameter error.",
  "DBS.200002": "The DB instance does not exist.",
  "DBS.200010": "Authentication failed.",
  "DBS.200011": "This instance {0} status makes it not be allowed to do this {1} operation now.",
  "DBS.200013": "This node does not exist.",
  "DBS.200018": "This instance's status or its node's status makes it not be allowed to do this operation now.",
  "DBS.200019": "Another operation is being performed on the DB instance or the DB instance is faulty.",
};

describe("generated facts say what the vendor documents", () => {
  it("every documented region, and no other, maps to its documented endpoint", () => {
    expect(regionEndpoints).toEqual(Object.fromEntries(documentedRegions.map((region) => [region, documentedEndpoint(region)])));
  });

  it("the error catalog has every documented code, and no other, at its documented statuses", () => {
    const statuses = Object.fromEntries(
      Object.entries(errorCatalog).map(([code, entry]) => [code, [...entry.statuses].sort((a, b) => a - b)]),
    );
    expect(statuses).toEqual(
      Object.fromEntries(Object.entries(documentedStatuses).map(([code, list]) => [code, [...list].sort((a, b) => a - b)])),
    );
  });

  it("the service's codes carry the service's messages word for word", () => {
    for (const [code, message] of Object.entries(documentedServiceMessages))
      expect(errorCatalog[code as keyof typeof errorCatalog].message, code).toBe(message);
  });
});
