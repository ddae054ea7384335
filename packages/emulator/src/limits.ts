/** Bounds on what one client can make the API server hold. */
export interface EmulatorLimits {
  /** Larger bodies are answered 413 APIGW.0201 (the operation has no body). Default 1 MiB. */
  maxBodyBytes: number;
  /** Larger request heads are answered 400 APIGW.0201. Default 64 KiB (a token may be 32 KiB). */
  maxHeaderBytes: number;
  /** More header lines are answered 400 APIGW.0201. Default 100. */
  maxHeaderCount: number;
  /** A connection that has not sent a full request head by then is closed. Default 10 s. */
  headersTimeoutMs: number;
  /** A request whose body has not fully arrived this long after its head is closed. Default 10 s. */
  bodyTimeoutMs: number;
  /** A request not fully received by then is closed. Default 30 s. */
  requestTimeoutMs: number;
  /** A connection with no traffic for this long is closed. Default 30 s. */
  idleTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. Default 5 s. */
  keepAliveTimeoutMs: number;
  /**
   * Open connections at most. A new one past the cap closes the oldest connection that is not
   * being answered (idle, or stalled in its head or body); only when every one is being
   * answered is the newcomer refused. Default 1024.
   */
  maxConnections: number;
  /**
   * Request body bytes held at once over all connections (at least `maxBodyBytes`). Past it,
   * the oldest connections holding a body are closed. Default 32 MiB.
   */
  maxHeldBodyBytes: number;
}

/** The defaults of {@link EmulatorLimits}. */
export const defaultLimits: Readonly<EmulatorLimits> = Object.freeze({
  maxBodyBytes: 1024 * 1024,
  maxHeaderBytes: 64 * 1024,
  maxHeaderCount: 100,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  idleTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1024,
  maxHeldBodyBytes: 32 * 1024 * 1024,
});
