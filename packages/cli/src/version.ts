import { name, version } from "../package.json";

/** This package's version, as `--version` prints it. */
export const cliVersion: string = version;

/** The `User-Agent` the CLI sends: its own name and version. */
export const cliUserAgent = `${name}/${version}`;
