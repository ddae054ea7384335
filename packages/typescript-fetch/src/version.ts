import { name, version } from "../package.json";

/** The `User-Agent` this package sends unless told otherwise: its own name and version. */
export const userAgent = `${name}/${version}`;
