// The tiny keep-alive server the per-call benchmark calls, in a process of its own so its
// CPU is never charged to the client being measured. It answers the operation's path
// with 200 `{}` and an X-Request-Id, and counts how each request authenticated, so the
// orchestrator can tell a flavor that sent no signature from one that did.
import { createServer } from "node:http";
import type { FromServer, ServerCounts, ToServer } from "./protocol.js";

const route = /^\/v3\/[0-9a-f]{32}\/instances\/[0-9a-f]{32}in\d\d\/sessions$/;
const counts: ServerCounts = { token: 0, aksk: 0, none: 0, wrongRoute: 0 };
let served = 0;

const send = (message: FromServer) => process.send?.(message);

const server = createServer((request, response) => {
  request.resume();
  if (request.method !== "DELETE" || !route.test(request.url ?? "")) {
    counts.wrongRoute++;
    response.writeHead(404, { "Content-Type": "application/json", "Content-Length": "2" }).end("{}");
    return;
  }
  const authorization = request.headers.authorization;
  if (typeof request.headers["x-auth-token"] === "string" && request.headers["x-auth-token"].length > 20) counts.token++;
  else if (authorization?.startsWith("SDK-HMAC-SHA256 ") && request.headers["x-sdk-date"] !== undefined) counts.aksk++;
  else counts.none++;
  served++;
  response
    .writeHead(200, {
      "Content-Type": "application/json",
      "Content-Length": "2",
      "X-Request-Id": `b3c4e5f6a7b8c9d0e1f2a3b4${served.toString(16).padStart(8, "0")}`,
    })
    .end("{}");
});
// Idle keep-alive sockets must outlive the pauses between runs (a sample of another flavor).
server.keepAliveTimeout = 120_000;
server.headersTimeout = 125_000;

// Both messages are answered with the counts: "reset" first zeroes them.
process.on("message", (message: ToServer) => {
  if (message.type === "reset") counts.token = counts.aksk = counts.none = counts.wrongRoute = 0;
  send({ type: "counts", counts: { ...counts } });
});
// Ends with its parent, and in any case after 30 minutes.
process.on("disconnect", () => process.exit(0));
setTimeout(() => process.exit(0), 30 * 60_000).unref();

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address !== null && typeof address === "object") send({ type: "listening", port: address.port });
});
