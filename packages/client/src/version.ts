import { name, version } from "../package.json";

/** The `User-Agent` this package sends: its own name and version. */
export const userAgent = `${name}/${version}`;
