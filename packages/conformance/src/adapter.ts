import type { CoreOptions } from "@geminidb-sessions/core";

/** One call of the operation, in flavor-neutral terms. */
export interface CloseInput {
  instanceId: string;
  /** Overrides the client's `projectId` for this call. */
  projectId?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** What a successful call resolves with, in flavor-neutral terms. */
export interface CloseResult {
  /** The service's `X-Request-Id`. */
  requestId: string | undefined;
}

/** A client of one flavor, able to make the call. */
export interface SessionsCloser {
  close(input: CloseInput): Promise<CloseResult>;
}

/**
 * How the suite drives one flavor: `create(options)` builds a client from the options
 * both flavors share (throwing as the flavor's factory does), and `close(input)` on it
 * makes one call the way that flavor's users would.
 */
export interface FlavorAdapter {
  readonly name: string;
  create(options: CoreOptions): SessionsCloser;
}
