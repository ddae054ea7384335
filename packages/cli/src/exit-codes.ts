/**
 * The exit codes of `geminidb-sessions`, one per outcome, so a script can branch on
 * `$?` without parsing output.
 *
 * @example
 * geminidb-sessions close --yes ... ; [ $? -eq 6 ] && echo "try again later"
 */
export const exitCodes = {
  /** Every instance's sessions were closed (or the dry run printed its requests). */
  success: 0,
  /** None closed, for reasons that differ or are none of the ones below; or the confirmation was declined. */
  failure: 1,
  /** The command line, input or environment is wrong; nothing was sent. */
  usage: 2,
  /** Every instance failed because the credentials were refused or lack permission. */
  auth: 3,
  /** Every instance failed because it does not exist (`DBS.200002`). */
  notFound: 4,
  /** At least one instance was closed and at least one failed. */
  partial: 5,
  /** Every instance failed with a retryable error, even after the retries: running again later may succeed. */
  retryable: 6,
  /** Interrupted (Ctrl-C / SIGINT): requests in flight were abandoned. */
  interrupted: 130,
} as const;

/** One of {@link exitCodes}' values. */
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];
