import { describe, expect, it } from "vitest";
import { checkExamples } from "./support/check-examples.js";
import { collectExampleSites, findExamplePointers } from "./support/example-sites.js";
import { errorCatalogOf, isJsonObject, loadSpecDocument, objectAt, operationResponses, pointerTo } from "./support/openapi-document.js";

/** A readable list of failures for assertion messages. */
const describeFailures = (failures: ReturnType<typeof checkExamples>["failures"]) =>
  failures.map((f) => `${f.site.pointers[0]} (schema ${f.site.schemaPointer}): ${f.message}`).join("\n");

describe("the spec's examples", () => {
  it("each validate against their schema, and every example written in the document is checked", async () => {
    const doc = await loadSpecDocument();
    const { checked, failures } = checkExamples(doc);
    expect(failures, describeFailures(failures)).toEqual([]);

    // A blind walk of the document finds every example, wherever it is written;
    // each one must be among those validated, and nothing else may be.
    const written = findExamplePointers(doc);
    expect(new Set(checked.flatMap((site) => site.pointers))).toEqual(new Set(written));
    // Not a vacuous pass: the lint gate makes every catalog code appear in a
    // response example, so there are at least as many examples as codes.
    expect(checked.length).toBeGreaterThanOrEqual(Object.keys(errorCatalogOf(doc)).length);
    expect(Object.keys(errorCatalogOf(doc)).length).toBeGreaterThan(0);
  });

  it("cover every kind of site: parameters, headers, schemas and responses", async () => {
    const sites = collectExampleSites(await loadSpecDocument());
    const kinds = ["/parameters/", "/headers/", "/components/schemas/", "/responses/"];
    for (const kind of kinds) {
      expect(
        sites.some((site) => site.pointers[0]?.includes(kind)),
        `an example under ${kind}`,
      ).toBe(true);
    }
  });
});

describe("the example check", () => {
  it("rejects a path parameter example that could change the request's route", async () => {
    const doc = await loadSpecDocument();
    const parameter = objectAt(doc, pointerTo(["components", "parameters", "InstanceId"]));
    const examples = parameter.examples;
    if (!isJsonObject(examples)) throw new Error("InstanceId has no examples map");
    const [name, example] = Object.entries(examples)[0] ?? [];
    if (name === undefined || !isJsonObject(example)) throw new Error("InstanceId has no example");
    example.value = `${String(example.value)}#y`;

    const { failures } = checkExamples(doc);
    expect(failures.map((f) => f.site.pointers[0])).toEqual([pointerTo(["components", "parameters", "InstanceId", "examples", name])]);
    expect(failures[0]?.message).toMatch(/pattern|maxLength/);
  });

  it("rejects an error response example whose body fits neither error form", async () => {
    const doc = await loadSpecDocument();
    const target = operationResponses(doc)
      .filter((r) => /^[45]/.test(r.status))
      .flatMap((r) => {
        const content = isJsonObject(r.response.content) ? r.response.content : {};
        return Object.entries(content).flatMap(([mediaTypeName, mediaType]) => {
          const examples = isJsonObject(mediaType) && isJsonObject(mediaType.examples) ? mediaType.examples : {};
          return Object.entries(examples).map(([exampleName, example]) => ({ r, mediaTypeName, exampleName, example }));
        });
      })
      .find(({ example }) => isJsonObject(example) && isJsonObject(example.value) && "error_code" in example.value);
    if (!target || !isJsonObject(target.example) || !isJsonObject(target.example.value)) throw new Error("no flat error example");
    target.example.value.error_code = 42; // the code must be a string

    const { failures } = checkExamples(doc);
    const examplePointer = target.r.pointer + pointerTo(["content", target.mediaTypeName, "examples", target.exampleName]).slice(1);
    expect(failures.map((f) => f.site.pointers[0])).toEqual([examplePointer]);
  });

  it("rejects a schema-level example that breaks its own schema", async () => {
    const doc = await loadSpecDocument();
    const projectId = objectAt(doc, pointerTo(["components", "schemas", "ProjectId"]));
    projectId.examples = ["../instances"];
    const { failures } = checkExamples(doc);
    expect(failures.map((f) => f.site.pointers[0])).toEqual([pointerTo(["components", "schemas", "ProjectId", "examples", 0])]);
  });
});
