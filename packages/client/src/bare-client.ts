import {
  type CoreOptions,
  type Operation,
  type PreparedCall,
  paginate,
  prepareOperationCall,
  type ResolvedCoreOptions,
  type RetryHook,
  resolveCoreOptions,
  sendCall,
  ValidationError,
} from "@geminidb-sessions/core";
import type { OperationId, OperationInputs, OperationSuccessBodies, OperationValidators } from "@geminidb-sessions/validation";
import { userAgent } from "./version.js";

/**
 * What a call of operation `Id` takes: its parameters by their input names (`instanceId`,
 * `nodeId`, `addrPrefix`, ...) and its `body`, as the spec declares them; `projectId`
 * defaults to the client's; `signal` ends the call at once, also while it waits to retry;
 * `timeoutMs` and `maxRetries` override the client's for this call only; `onRetry` is told of
 * this call's retries (after the client's `onRetry`).
 */
export type CallInput<Id extends OperationId> = Omit<OperationInputs[Id], "projectId"> & {
  /** Overrides the client's `projectId` for this call. */
  projectId?: string | undefined;
  /** Ends the call at once, also while it waits to retry. */
  signal?: AbortSignal | undefined;
  /** How long one attempt of this call may take, in ms; overrides the client's `timeoutMs` for this call only. */
  timeoutMs?: number | undefined;
  /** Retries of this call after its first attempt (0 to 10); overrides the client's `maxRetries` for this call only. */
  maxRetries?: number | undefined;
  /**
   * Told before each wait for a retry of this call (after the client's `onRetry`): the attempt that
   * failed, the wait, the reason and the error. Not awaited; a throw is ignored.
   */
  onRetry?: RetryHook | undefined;
};

/** What a successful call of operation `Id` resolves with. */
export interface CallResult<Id extends OperationId> {
  /** The success body, checked against the spec's schema. */
  data: OperationSuccessBodies[Id];
  /** The service's `X-Request-Id` for the call; quote it to support. */
  requestId: string | undefined;
}

/**
 * A client without methods, for the operation functions (`closeInstanceSessions(client, input)`,
 * ...): a program bundles only the operations it imports. Same options, checks and transport as
 * `createSessionsClient`, without openapi-fetch (so no `raw` and no middleware).
 */
export interface BareSessionsClient {
  /** The origin requests go to. */
  readonly endpoint: string;
}

/** How a client sends a checked call: straight to core's transport, or through openapi-fetch when it has middleware. */
type Send = (call: PreparedCall, signal: AbortSignal | undefined) => Promise<CallResult<OperationId>>;

interface Sender {
  options: ResolvedCoreOptions;
  /** The function that takes the client-wide options, named in messages. */
  factory: string;
  send: Send;
}

/** The clients this package made, bare or full: the operation functions send through them. */
const senders = new WeakMap<object, Sender>();

/** Makes `client` one the operation functions accept. */
export function registerClient(client: object, sender: Sender): void {
  senders.set(client, sender);
}

/** The options every client of this package resolves: core's, with this package's User-Agent. */
export function resolveClientOptions(options: CoreOptions, extraNames: readonly string[] = []): ResolvedCoreOptions {
  if (typeof options !== "object" || options === null) throw new ValidationError("options", "type", "must be an object with credentials");
  return resolveCoreOptions({ ...options, userAgent: options.userAgent ?? userAgent }, extraNames);
}

/**
 * Creates a client without methods, for the operation functions this package exports (one per
 * operation of the spec). Options are checked at once, as `createSessionsClient` checks them.
 *
 * @example
 * const client = createBareSessionsClient({ projectId, region: "cn-north-4", credentials: { token } });
 * const { requestId } = await closeInstanceSessions(client, { instanceId });
 */
export function createBareSessionsClient(options: CoreOptions): BareSessionsClient {
  const resolved = resolveClientOptions(options);
  const client = new BareClient(resolved);
  renderAs(client, "BareSessionsClient");
  registerClient(client, {
    options: resolved,
    factory: "createBareSessionsClient",
    send: (call, signal) => sendCall(resolved, call, signal) as Promise<CallResult<OperationId>>,
  });
  return client;
}

class BareClient implements BareSessionsClient {
  readonly #options: ResolvedCoreOptions;

  constructor(options: ResolvedCoreOptions) {
    this.#options = options;
  }

  get endpoint(): string {
    return this.#options.endpoint;
  }

  toJSON(): Record<string, unknown> {
    return { endpoint: this.endpoint, projectId: this.#options.projectId };
  }
}

/**
 * Gives `client` its rendering in node:util's inspect (Bun's console too) and Deno's: its name and
 * `toJSON()`. Set per client, not as a computed class member, which would keep the class (and all it
 * references) in every bundle that imports this package.
 */
export function renderAs(client: { toJSON(): Record<string, unknown> }, name: string): void {
  const render = () => `${name} ${JSON.stringify(client.toJSON())}`;
  for (const key of [Symbol.for("nodejs.util.inspect.custom"), Symbol.for("Deno.customInspect")])
    Object.defineProperty(client, key, { value: render });
}

function senderOf(client: unknown): Sender {
  const sender = typeof client === "object" && client !== null ? senders.get(client) : undefined;
  if (sender === undefined)
    throw new ValidationError("client", "type", "must be a client made by createSessionsClient or createBareSessionsClient");
  return sender;
}

/** Checks and sends one call of `operation` through `client`: what every operation function and method does. */
export function callOperation(
  client: unknown,
  operation: Operation,
  checks: OperationValidators,
  input: unknown,
): Promise<CallResult<OperationId>> {
  try {
    const sender = senderOf(client);
    const call = prepareOperationCall(operation, checks, input, sender.options, sender.factory);
    return sender.send(call, (input as { signal?: AbortSignal }).signal);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Every page of a paginated `operation`, in order, through `client` (see `SessionsClient.pages`). */
export async function* operationPages(
  client: unknown,
  operation: Operation,
  checks: OperationValidators,
  input: unknown,
): AsyncIterableIterator<CallResult<OperationId>> {
  const sender = senderOf(client);
  const first = prepareOperationCall(operation, checks, input, sender.options, sender.factory);
  const signal = (input as { signal?: AbortSignal }).signal;
  yield* paginate(first, sender.options, (call) => sender.send(call, signal), signal);
}
