// The public surface of @geminidb-sessions/validation. Everything a schema
// says (patterns, lengths, codes, regions) comes from src/generated/, which
// `pnpm generate` writes from spec/openapi.yaml.

export { type ErrorCode, errorCatalog } from "./generated/error-catalog.js";
export { schemas } from "./generated/json-schemas.js";
export { authProfile, operation } from "./generated/protocol.js";
export { type Region, regionEndpoints } from "./generated/regions.js";
export type {
  ClearInstanceSessionsParams,
  ClearInstanceSessionsResponse,
  ErrorBody,
  GatewayError,
  ServiceError,
} from "./generated/types.js";
export { accessKeySchema, isAccessKey, validateAccessKey } from "./generated/validate-access-key.js";
export { akSkAuthorizationSchema, isAkSkAuthorization, validateAkSkAuthorization } from "./generated/validate-ak-sk-authorization.js";
export {
  clearInstanceSessionsParamsSchema,
  isClearInstanceSessionsParams,
  validateClearInstanceSessionsParams,
} from "./generated/validate-clear-instance-sessions-params.js";
export {
  clearInstanceSessionsResponseSchema,
  isClearInstanceSessionsResponse,
  validateClearInstanceSessionsResponse,
} from "./generated/validate-clear-instance-sessions-response.js";
export { errorBodySchema, isErrorBody, validateErrorBody } from "./generated/validate-error-body.js";
export { gatewayErrorSchema, isGatewayError, validateGatewayError } from "./generated/validate-gateway-error.js";
export { iamTokenSchema, isIamToken, validateIamToken } from "./generated/validate-iam-token.js";
export { instanceIdSchema, isInstanceId, validateInstanceId } from "./generated/validate-instance-id.js";
export { isProjectId, projectIdSchema, validateProjectId } from "./generated/validate-project-id.js";
export { isSdkDate, sdkDateSchema, validateSdkDate } from "./generated/validate-sdk-date.js";
export { isSecretKey, secretKeySchema, validateSecretKey } from "./generated/validate-secret-key.js";
export { isSecurityToken, securityTokenSchema, validateSecurityToken } from "./generated/validate-security-token.js";
export { isServiceError, serviceErrorSchema, validateServiceError } from "./generated/validate-service-error.js";
export { STANDARD_SCHEMA_VENDOR, type StandardSchemaV1 } from "./standard-schema.js";
export type { ValidationIssue, ValidationResult } from "./validation-result.js";
