import { beforeAll, describe, expect, it } from "vitest";
import { specValidator } from "./support/check-examples.js";
import { errorCatalogOf, isJsonObject, type JsonObject, loadSpecDocument, objectAt, pointerTo } from "./support/openapi-document.js";

/**
 * Facts the spec once got wrong (issue 12), checked against what the vendor's
 * signing guide, API reference and SDK say, so that a regression is caught
 * here and not by a user.
 */
let doc: JsonObject;
beforeAll(async () => {
  doc = await loadSpecDocument();
});

describe("gateway codes follow the vendor's API Request Signing Guide", () => {
  it.each([
    ["APIGW.0103", [404]],
    ["APIGW.0105", [400]],
    ["APIGW.0301", [401]],
    ["APIGW.0303", [401]],
    ["APIGW.0302", [403]],
    ["APIGW.0308", [429]],
    ["APIGW.0201", [400, 413, 414, 494, 502, 504]],
  ])("%s comes with %j", (code, statuses) => {
    expect(errorCatalogOf(doc)[code]?.statuses).toEqual(statuses);
  });

  it("words APIGW.0302 as the guide does", () => {
    expect(errorCatalogOf(doc)["APIGW.0302"]?.message).toBe("The IAM user is not authorized to access the API.");
  });

  it("lists no code no source confirms (APIGW.0202, APIGW.0203)", () => {
    const catalog = errorCatalogOf(doc);
    expect(Object.keys(catalog)).not.toContain("APIGW.0202");
    expect(Object.keys(catalog)).not.toContain("APIGW.0203");
  });

  it("retries APIGW.0201 only with the backend statuses, and says so in the catalog", () => {
    const entry = errorCatalogOf(doc)["APIGW.0201"];
    expect(entry?.retryable).toBe(false);
    expect(entry?.retryableStatuses).toEqual([502, 504]);
  });

  it("tells callers to parse APIG. as well as APIGW. codes", () => {
    const description = String(objectAt(doc, pointerTo(["components", "schemas", "ServiceError", "properties", "error_code"])).description);
    expect(description).toContain("`APIG.`");
    expect(String((doc.info as JsonObject).description)).toContain("`APIG.`");
  });
});

describe("what the vendor's SDK sends and reads", () => {
  it("names Content-Type: application/json among the headers every signed request carries", () => {
    const signing = objectAt(doc, pointerTo(["components", "securitySchemes", "akskSignature", "x-signing"]));
    expect(signing.requestHeaders).toEqual([expect.objectContaining({ name: "Content-Type", value: "application/json" })]);
  });

  it.each([
    ["the flat form", { error_code: "APIGW.0302", error_msg: "x", encoded_authorization_message: "abc" }],
    ["the nested form", { error: { code: "APIGW.0302", message: "x", encoded_authorization_message: "abc" } }],
  ])("declares encoded_authorization_message in %s", (_, body) => {
    const validator = specValidator(doc);
    expect(validator.errorsOf("#/components/schemas/ErrorBody", body)).toBeUndefined();
    const schema = JSON.stringify(objectAt(doc, pointerTo(["components", "schemas", "error" in body ? "GatewayError" : "ServiceError"])));
    expect(schema).toContain('"encoded_authorization_message":{"type":"string"');
  });
});

describe("claims no source makes are gone or marked", () => {
  it("no longer says the operations are idempotent or asynchronous, or behave like CLIENT KILL TYPE normal", () => {
    const text = JSON.stringify(doc);
    expect(text).not.toMatch(/idempoten|asynchron|accepted the work|CLIENT KILL TYPE normal/i);
    expect(text).not.toMatch(/every (error )?code the operation can answer/i);
  });

  it("declares X-Request-Id optional and marks it and Retry-After as the project's modelling", () => {
    const headers = objectAt(doc, pointerTo(["components", "headers"]));
    expect((headers.XRequestId as JsonObject).required).toBe(false);
    for (const name of ["XRequestId", "RetryAfter"]) expect((headers[name] as JsonObject)["x-assumption"], name).toBeTruthy();
  });

  it("marks every ID pattern and credential length limit as an assumption", () => {
    const schemas = objectAt(doc, pointerTo(["components", "schemas"]));
    for (const [name, schema] of Object.entries(schemas)) {
      if (!isJsonObject(schema) || (schema.pattern === undefined && schema.maxLength === undefined)) continue;
      if (name === "SdkDate") continue; // the signing guide gives this format
      expect(schema["x-assumption"], name).toEqual(expect.any(String));
    }
  });

  it("says in the catalog that closeInstanceSessions supports only proxy clusters, and marks the code as assumed", () => {
    const entry = errorCatalogOf(doc)["DBS.200001"];
    expect(String(entry?.meaning)).toMatch(/closeInstanceSessions.*proxy-cluster/s);
    expect(String(entry?.remedy)).toMatch(/proxy cluster/);
    expect(String(entry?.["x-assumption"])).toMatch(/proxy cluster/);
  });
});
