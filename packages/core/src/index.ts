export { isKnownRegion, regionEndpoint } from "./endpoint.js";
