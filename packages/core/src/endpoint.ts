import { type Region, regionEndpoints } from "@geminidb-sessions/validation";
import { ValidationError } from "./errors.js";

/** True when `region` is one the spec's `servers` list. */
export function isKnownRegion(region: string): region is Region {
  return Object.hasOwn(regionEndpoints, region);
}

/** The regional endpoint of a region the spec lists, e.g. `https://gaussdb-nosql.cn-north-4.myhuaweicloud.com`. */
export function regionEndpoint(region: Region): string {
  return regionEndpoints[region];
}

/** Where to send requests: a region the spec lists, or an explicit endpoint (which wins). */
export interface EndpointOptions {
  region?: string | undefined;
  endpoint?: string | undefined;
  /** Allow `http://` to a host that is not loopback. Off by default: credentials would cross the network in clear. */
  allowInsecureHttp?: boolean | undefined;
}

/** True for `localhost`, `127.0.0.0/8` and `::1`, as a WHATWG URL spells its hostname. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === "localhost" || host === "[::1]") return true;
  const octets = host.split(".");
  return octets.length === 4 && octets[0] === "127" && octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255);
}

function refuse(field: string, rule: string, message: string): never {
  throw new ValidationError(field, rule, message);
}

/**
 * The origin requests go to (scheme, host and port; no trailing slash).
 *
 * - An explicit `endpoint` overrides `region`. It must already be exactly an origin,
 *   `scheme://host[:port]` with at most one trailing `/` (letter case aside): anything
 *   the URL parser would rewrite or drop (whitespace, control characters, user info,
 *   a path or dot segment, a query, a fragment, a default port written out) is
 *   refused rather than silently normalized, since the API's paths are absolute and
 *   `"https://host.example\n.evil"` must never become `https://host.example.evil`.
 * - `http://` is refused unless the host is loopback (`localhost`, `127.0.0.0/8`,
 *   `[::1]`) or `allowInsecureHttp` is true.
 * - Otherwise `region` must be one the spec lists; an unknown one is refused.
 *
 * Throws `ValidationError` (field `endpoint` or `region`) and never touches the network.
 *
 * @example
 * resolveEndpoint({ region: "cn-north-4" }); // "https://gaussdb-nosql.cn-north-4.myhuaweicloud.com"
 * resolveEndpoint({ endpoint: "http://127.0.0.1:8080" }); // "http://127.0.0.1:8080"
 */
export function resolveEndpoint(options: EndpointOptions): string {
  const { region, endpoint, allowInsecureHttp = false } = options;
  if (endpoint !== undefined) {
    if (typeof endpoint !== "string") refuse("endpoint", "type", "must be a string");
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      return refuse("endpoint", "format", "must be an absolute URL such as https://host[:port]");
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") refuse("endpoint", "scheme", "must use https:// (or http:// to loopback)");
    if (url.username !== "" || url.password !== "")
      refuse("endpoint", "origin", "must not contain user info; pass credentials in `credentials`");
    if (url.pathname !== "/" || url.search !== "" || url.hash !== "" || /[?#]$/.test(endpoint)) {
      refuse("endpoint", "origin", "must be an origin (scheme, host and port) without path, query or fragment");
    }
    const written = (endpoint.endsWith("/") ? endpoint.slice(0, -1) : endpoint).toLowerCase();
    if (written !== url.origin.toLowerCase()) {
      refuse(
        "endpoint",
        "origin",
        "must be exactly an origin, as `new URL(endpoint).origin` writes it: no whitespace, control characters, dot segments, default port or other text the URL parser would rewrite",
      );
    }
    if (url.protocol === "http:" && !isLoopbackHost(url.hostname) && allowInsecureHttp !== true) {
      refuse("endpoint", "https", "http:// is allowed only to a loopback host unless allowInsecureHttp is true");
    }
    return url.origin;
  }
  if (region === undefined) return refuse("region", "required", "set `region` (or an explicit `endpoint`)");
  if (typeof region !== "string" || !isKnownRegion(region)) {
    return refuse("region", "enum", "is not a region the spec lists; pass an explicit `endpoint` for others");
  }
  return regionEndpoint(region);
}
