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
  /** A request not fully received by then is closed. Default 30 s. */
  requestTimeoutMs: number;
  /** A connection with no traffic for this long is closed. Default 30 s. */
  idleTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. Default 5 s. */
  keepAliveTimeoutMs: number;
  /** Connections beyond this many are refused. Default 1024. */
  maxConnections: number;
}

/** The defaults of {@link EmulatorLimits}. */
export const defaultLimits: Readonly<EmulatorLimits> = Object.freeze({
  maxBodyBytes: 1024 * 1024,
  maxHeaderBytes: 64 * 1024,
  maxHeaderCount: 100,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  idleTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1024,
});
