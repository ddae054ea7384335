export { accessKey, countingFetch, instanceId, projectId, secretKey, securityToken, token, useServer } from "./fixtures.js";
export { json, type RecordedRequest, type RecordingServer, type Responder, startRecordingServer } from "./recording-server.js";
export { connectAndPing, type PingedClient, settlesWithin } from "./redis-client.js";
export { hang, raw, sequence, truncated } from "./responders.js";
