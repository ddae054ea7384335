import { createSessionsClient } from "@geminidb-sessions/client";
import type { CoreOptions } from "@geminidb-sessions/core";
import { createSessionsApi } from "@geminidb-sessions/typescript-fetch";
import { type OperationId, operations, type PaginatedOperationId } from "@geminidb-sessions/validation";

/**
 * One call, in flavour-neutral terms: the operation's parameters by their input names
 * (`instanceId`, `nodeId`, `limit`, ...), its `body` in the spec's JSON form, and a signal.
 */
export interface CallInput {
  [parameter: string]: unknown;
  /** Overrides the client's `projectId` for this call. */
  projectId?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** What a successful call resolves with, in flavour-neutral terms. */
export interface CallResult {
  /** The service's `X-Request-Id` (undefined where the flavour cannot show it, e.g. per page). */
  requestId: string | undefined;
  /** The success body, as the flavour hands it to its user. */
  data: unknown;
}

/** A client of one flavour, able to make any call of the spec. */
export interface SessionsCaller {
  call(operationId: OperationId, input: CallInput): Promise<CallResult>;
  /** Every page of a paginated list, the way that flavour's users iterate it. */
  pages(operationId: PaginatedOperationId, input: CallInput): AsyncIterable<CallResult>;
}

/**
 * How the suite drives one flavour: `create(options)` builds a client from the options both
 * flavours share (throwing as the flavour's factory does), and the caller it returns makes
 * calls the way that flavour's users would.
 */
export interface FlavorAdapter {
  readonly name: string;
  create(options: CoreOptions): SessionsCaller;
}

type Method = (input: unknown, init?: unknown) => Promise<unknown>;
type Pages = (input: unknown, init?: unknown) => AsyncIterable<unknown>;

/** `@geminidb-sessions/client`: `client[operationId](input)` and `client.pages[operationId](input)`, as its users call them. */
export const clientFlavor: FlavorAdapter = {
  name: "client",
  create(options) {
    const client = createSessionsClient(options);
    const methods = client as unknown as Record<string, Method>;
    const pages = client.pages as unknown as Record<string, Pages>;
    return {
      call: async (operationId, input) => (await methods[operationId]?.(input)) as CallResult,
      async *pages(operationId, input) {
        for await (const page of pages[operationId]?.(input) ?? []) yield page as CallResult;
      },
    };
  },
};

/** The generated method's parameters for a neutral input: the body under the generator's name for it, the signal apart. */
function generatedParameters(
  operationId: OperationId,
  input: CallInput,
): { parameters: Record<string, unknown>; init: RequestInit | undefined } {
  const { signal, body, ...parameters } = input;
  const bodyParameter = (operations[operationId].body as { schema: string } | null)?.schema;
  if (bodyParameter !== undefined && body !== undefined) parameters[bodyParameter.charAt(0).toLowerCase() + bodyParameter.slice(1)] = body;
  return { parameters, init: signal === undefined ? undefined : { signal } };
}

/**
 * `@geminidb-sessions/typescript-fetch`: the generated `xRaw` method (so the request ID can be
 * read, as its users would) and the model its `value()` gives; `api.pages[x]` for lists.
 */
export const typescriptFetchFlavor: FlavorAdapter = {
  name: "typescript-fetch",
  create(options) {
    const api = createSessionsApi(options);
    const methods = api as unknown as Record<string, Method>;
    const pages = api.pages as unknown as Record<string, Pages>;
    return {
      async call(operationId, input) {
        const { parameters, init } = generatedParameters(operationId, input);
        const response = (await methods[`${operationId}Raw`]?.(parameters, init)) as { raw: Response; value(): Promise<unknown> };
        const text = await response.raw.clone().text();
        return { requestId: response.raw.headers.get("x-request-id") ?? undefined, data: text.trim() === "" ? {} : await response.value() };
      },
      async *pages(operationId, input) {
        const { parameters, init } = generatedParameters(operationId, input);
        for await (const data of pages[operationId]?.(parameters, init) ?? []) yield { requestId: undefined, data };
      },
    };
  },
};

/** Both flavours; the first is the reference the others are compared with. */
export const flavors: readonly FlavorAdapter[] = [clientFlavor, typescriptFetchFlavor];
