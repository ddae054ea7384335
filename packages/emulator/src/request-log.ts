/**
 * One answered request, for an optional `log` callback. It never holds header values, so no
 * token, signature or key can leak through it.
 */
export interface RequestLogEntry {
  requestId: string;
  method: string;
  /** The raw request target, cut to 200 characters. */
  target: string;
  /** The status answered; 0 when the connection was reset on purpose. */
  status: number;
  /** The catalog code answered, for errors. */
  code?: string;
  /** Why authentication failed, for 401s (e.g. `token-expired`, `signature-clock-skew`). */
  authFailure?: string;
  /** The fault effect that replaced the normal answer, if any. */
  fault?: string;
  /** Refused before routing: a `Host` that does not name the emulator, or a foreign `Origin`. */
  refused?: "host" | "origin";
  /** Sessions closed, for successful calls. */
  closedSessions?: number;
}
