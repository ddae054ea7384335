import { errorCatalog } from "@geminidb-sessions/validation";
import { describe, expect, it } from "vitest";
import { catalogMessage, ErrorCatalogMismatch, errorAnswer } from "../src/respond.js";

describe("error answers from the catalog", () => {
  it("uses the catalog's message and first status", () => {
    expect(errorAnswer("DBS.200002", { requestId: "r1" })).toEqual({
      status: 404,
      body: { error_code: "DBS.200002", error_msg: errorCatalog["DBS.200002"].message },
    });
  });

  it("fills placeholders, and picks the message part that belongs to the status", () => {
    expect(catalogMessage("DBS.200011", 403, ["i1", "clearSessions"])).toBe(
      "This instance i1 status makes it not be allowed to do this clearSessions operation now.",
    );
    const parts = errorCatalog["APIGW.0201"].message.split(" / ");
    const withPeriod = (text = "") => (text.endsWith(".") ? text : `${text}.`);
    expect(catalogMessage("APIGW.0201", 400)).toBe(withPeriod(parts[0]));
    expect(catalogMessage("APIGW.0201", 413)).toBe(withPeriod(parts[1]));
  });

  it("repeats the request ID for gateway errors, and nests when asked", () => {
    expect(errorAnswer("APIGW.0301", { requestId: "r2", origin: "gateway" }).body).toEqual({
      error_code: "APIGW.0301",
      error_msg: errorCatalog["APIGW.0301"].message,
      request_id: "r2",
    });
    expect(errorAnswer("APIGW.0201", { requestId: "r3", form: "nested", status: 502 })).toEqual({
      status: 502,
      body: { error: { code: "APIGW.0201", message: catalogMessage("APIGW.0201", 502) } },
    });
  });

  it("refuses a status the catalog never gives the code", () => {
    expect(() => errorAnswer("DBS.200001", { requestId: "r4", status: 500 })).toThrow(ErrorCatalogMismatch);
  });
});
