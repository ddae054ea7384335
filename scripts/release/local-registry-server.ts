/**
 * Runs a throwaway Verdaccio registry on 127.0.0.1 for release rehearsals and the
 * release test. It has no uplinks, so it can never fetch or proxy anything: what is
 * in it was published to it. Anyone may publish (any token is accepted), nothing is
 * kept after the storage folder is removed.
 *
 *   tsx scripts/release/local-registry-server.ts <storage-dir> [port]
 *
 * Prints one JSON line `{"url":"http://127.0.0.1:<port>/"}` once it listens (port 0,
 * the default, picks a free one), then serves until it gets SIGTERM or SIGINT.
 */
import { mkdir, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { runServer } from "verdaccio";
import { stringify } from "yaml";

const [storageArg, portArg = "0"] = process.argv.slice(2);
if (storageArg === undefined) {
  process.stderr.write("usage: local-registry-server.ts <storage-dir> [port]\n");
  process.exit(2);
}
const root = resolve(storageArg);
await mkdir(join(root, "storage"), { recursive: true });

const config = {
  storage: join(root, "storage"),
  // The htpasswd plugin is Verdaccio's default; publishing is open to $all, so no user is needed.
  auth: { htpasswd: { file: join(root, "htpasswd"), max_users: -1 } },
  uplinks: {},
  packages: { "**": { access: "$all", publish: "$all", unpublish: "$all" } },
  web: { enable: false },
  publish: { allow_offline: true },
  server: { keepAliveTimeout: 5 },
  log: { type: "stdout", format: "pretty", level: "error" },
};
const configFile = join(root, "config.yaml");
await writeFile(configFile, stringify(config));

const server = (await runServer(configFile)) as Server;
server.listen(Number(portArg), "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}/` })}\n`);
});

const stop = () => {
  server.close(() => process.exit(0));
  // Keep-alive sockets would hold close() open; they carry nothing worth waiting for.
  server.closeAllConnections();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
