export { json, type RecordedRequest, type RecordingServer, type Responder, startRecordingServer } from "./recording-server.js";
