import type { CoreOptions } from "@geminidb-sessions/core";
import type { OperationId, PaginatedOperationId } from "@geminidb-sessions/validation";

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
