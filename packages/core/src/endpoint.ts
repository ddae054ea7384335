import { type Region, regionEndpoints } from "@geminidb-sessions/validation";

/** True when `region` is one the spec's `servers` list. */
export function isKnownRegion(region: string): region is Region {
  return Object.hasOwn(regionEndpoints, region);
}

/** The regional endpoint of a region the spec lists, e.g. `https://gaussdb-nosql.cn-north-4.myhuaweicloud.com`. */
export function regionEndpoint(region: Region): string {
  return regionEndpoints[region];
}
