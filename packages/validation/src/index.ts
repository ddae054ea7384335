export { type ErrorCode, errorCatalog } from "./generated/error-catalog.js";
export { type Region, regionEndpoints } from "./generated/regions.js";
