/**
 * A problem with the command line, the instance list or the environment, found
 * before anything is sent. The CLI prints its message and exits with code 2.
 */
export class UsageError extends Error {
  override name = "UsageError";
  /** Further lines printed under the message (for example every malformed ID). */
  readonly details: readonly string[];

  constructor(message: string, details: readonly string[] = []) {
    super(message);
    this.details = details;
  }
}
