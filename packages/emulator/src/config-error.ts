/** A world config, fault rule or option the emulator cannot use; `issues` says what and where. */
export class EmulatorConfigError extends Error {
  readonly code = "EMULATOR_CONFIG";
  constructor(
    message: string,
    /** One line per problem, each starting with the path of the offending value. */
    readonly issues: readonly string[] = [],
  ) {
    super(issues.length > 0 ? `${message}:\n  - ${issues.join("\n  - ")}` : message);
    this.name = "EmulatorConfigError";
  }
}
