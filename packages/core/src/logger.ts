/** The levels log lines are written at. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Details attached to a log line; headers in it are always redacted. */
export type LogDetails = Record<string, unknown>;

/**
 * Where log lines go: an object with any of `debug`/`info`/`warn`/`error`
 * (`console` fits), or one function taking the level first. The library never
 * logs unless given one, and a logger that throws is ignored.
 */
export type Logger =
  | {
      debug?(message: string, details?: LogDetails): void;
      info?(message: string, details?: LogDetails): void;
      warn?(message: string, details?: LogDetails): void;
      error?(message: string, details?: LogDetails): void;
    }
  | ((level: LogLevel, message: string, details?: LogDetails) => void);

/** Writes one line to `logger`, if there is one; never throws. */
export function emitLog(logger: Logger | undefined, level: LogLevel, message: string, details?: LogDetails): void {
  if (logger === undefined) return;
  try {
    if (typeof logger === "function") logger(level, message, details);
    else logger[level]?.(message, details);
  } catch {
    // A broken logger must not break the request it describes.
  }
}
