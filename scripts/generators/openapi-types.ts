import openapiTS, { astToString } from "openapi-typescript";
import type { Generator } from "../lib/generated-file.js";
import { collectOperations, type OperationFacts } from "./validation-schemas.js";

/**
 * The client package's generated code: the `paths` / `components` types openapi-typescript
 * writes (which the client binds openapi-fetch to), and one function per operation.
 */
export const openapiTypes: Generator = {
  name: "openapi-typescript",
  outDir: "packages/client/src/generated",
  async generate(spec) {
    const ast = await openapiTS(spec.text, {
      exportType: false,
      alphabetize: false,
      immutable: false,
      rootTypes: false,
    });
    return [
      { path: `${this.outDir}/schema.gen.ts`, content: astToString(ast) },
      { path: `${this.outDir}/operations.gen.ts`, content: operationFunctionsModule(collectOperations(spec.document)) },
    ];
  },
};

/**
 * `operations.gen.ts`: `closeInstanceSessions(client, input)` and so on, one function per
 * operation (and `listNodeSessionsPages(client, input)` per paginated one), each importing
 * only its own operation's constants from the validation package, so a bundler keeps just
 * the operations a program calls.
 */
function operationFunctionsModule(operations: OperationFacts[]): string {
  const constants = operations.flatMap((op) => [`${op.operationId}Checks`, `${op.operationId}Operation`]);
  const lines = [
    `import { ${constants.join(", ")} } from "@geminidb-sessions/validation";`,
    `import { type BareSessionsClient, type CallInput, type CallResult, callOperation, operationPages } from "../bare-client.js";`,
    `import type { SessionsClient } from "../sessions-client.js";`,
    "",
  ];
  for (const op of operations) {
    const id = op.operationId;
    const types = `client: BareSessionsClient | SessionsClient, input: CallInput<"${id}">`;
    const what = `${op.summary ?? id} (\`${op.method} ${op.path}\`)`;
    lines.push(
      "/**",
      ` * ${what}.`,
      " *",
      ` * \`client.${id}(input)\` as a function of its own: a bundle that imports it carries this`,
      " * operation's checks alone. Takes a client from `createBareSessionsClient` or `createSessionsClient`.",
      " */",
      `export function ${id}(${types}): Promise<CallResult<"${id}">> {`,
      `  return callOperation(client, ${id}Operation, ${id}Checks, input) as Promise<CallResult<"${id}">>;`,
      "}",
      "",
    );
    if (op.pagination === undefined) continue;
    lines.push(
      `/** Every page of ${id}, in order, for \`for await\`: \`client.pages.${id}(input)\` as a function of its own. */`,
      `export function ${id}Pages(${types}): AsyncIterableIterator<CallResult<"${id}">> {`,
      `  return operationPages(client, ${id}Operation, ${id}Checks, input) as AsyncIterableIterator<CallResult<"${id}">>;`,
      "}",
      "",
    );
  }
  return lines.join("\n");
}
