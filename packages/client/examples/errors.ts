import { ApiError, createSessionsClient, NotFoundError, TimeoutError, ValidationError } from "@geminidb-sessions/client";

const client = createSessionsClient({
  projectId: "619d3e78f61b4be68bc5aa0b59edcf7b",
  region: "cn-north-4",
  credentials: { token: process.env.GEMINIDB_TOKEN ?? "" },
});

try {
  await client.closeInstanceSessions({ instanceId: "c865f921f3dd45198f209a607533a779in12" });
} catch (error) {
  if (error instanceof ValidationError) {
    // Nothing was sent: error.field and error.rule say what to fix.
    console.error(`fix ${error.field}: ${error.message}`);
  } else if (error instanceof NotFoundError) {
    console.error(`no such instance (request ${error.requestId})`);
  } else if (error instanceof ApiError) {
    // Branch on the code, never on the message. `code` is typed with the spec's catalog.
    switch (error.code) {
      case "DBS.200019":
        console.error("the instance is busy; try again later");
        break;
      case "APIGW.0301":
        console.error("the token expired or the AK/SK signature was refused");
        break;
      default:
        console.error(`${error.status} ${error.code}: ${error.meaning ?? error.message}. ${error.remedy ?? ""}`);
    }
  } else if (error instanceof TimeoutError) {
    console.error("no answer in time, even after retries");
  } else {
    throw error;
  }
}
