import { createServer } from "node:http";
const s = createServer((req, res) => { req.resume(); req.on("end", () => { res.writeHead(200, { "content-type": "application/json", "x-request-id": "r1" }); res.end("{}"); }); });
s.keepAliveTimeout = 60000;
s.listen(0, "127.0.0.1", () => process.send?.(s.address().port));
