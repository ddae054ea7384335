import { join } from "node:path";
import { signRequest } from "@geminidb-sessions/core";
import { Child } from "../lib/child.js";
import { benchDir } from "../lib/paths.js";
import { formatNumber, type Row, type Section, type TargetCheck } from "../lib/report.js";
import { median, pairwise, ratio, summarize } from "../lib/stats.js";
import { explainPerCallGap, type OverheadFigures } from "../per-call/explain.js";
import type {
  AlternativeKey,
  Auth,
  FromServer,
  FromWorker,
  RunResult,
  ServerCounts,
  Target,
  ToServer,
  ToWorker,
} from "../per-call/protocol.js";
import { signDelete } from "../per-call/raw-signer.js";
import { vendorHome } from "../vendor-sdk.js";

export interface PerCallSettings {
  rounds: number;
  warmupMs: number;
  durationMs: number;
}

const CONCURRENCY = [1, 50] as const;
const MAX_CALLS_PER_RUN = 200_000;
const perCallDir = join(benchDir, "src", "per-call");

const labels: Record<AlternativeKey, string> = {
  "raw-http": "raw `node:http` keep-alive (the floor)",
  "raw-fetch": "raw `fetch`, same headers",
  client: "`@geminidb-sessions/client`",
  "client-node-fetch": "client with `fetch: createNodeFetch()` (core/node)",
  "typescript-fetch": "`@geminidb-sessions/typescript-fetch`",
  "vendor-sdk": "vendor SDK",
};

/** The demo world's public IDs and credentials (the emulator's); the server checks none of them. */
const world = {
  projectId: "619d3e78f61b4be68bc5aa0b59edcf7b",
  instanceId: "c865f921f3dd45198f209a607533a779in12",
  token: "MIIDemoEmulatorTokenForGeminiDBSessions0001",
  accessKey: "DEMOEMULATORAK0000001",
  secretKey: "demoEmulatorSecretKeyNotARealSecret0123",
};

interface Samples {
  callsPerSecond: number[];
  cpuMicrosPerCall: number[];
  /** Why the flavor is not measured in this group, if it is not. */
  excluded?: string;
}

type Group = Record<AlternativeKey, Samples>;

/** The raw baselines sign by hand; they must sign exactly as core does, or the comparison is void. */
async function checkRawSigner(): Promise<void> {
  const url = new URL(`http://127.0.0.1:8080/v3/${world.projectId}/instances/${world.instanceId}/sessions`);
  const date = new Date("2026-11-28T09:30:00Z");
  const ours = signDelete(url, world.projectId, world.accessKey, world.secretKey, date);
  const core = await signRequest({ method: "DELETE", url: url.href, headers: {} }, world, { date, projectId: world.projectId });
  if (ours.Authorization !== core.Authorization)
    throw new Error(`the raw signer disagrees with core:\n${ours.Authorization}\n${core.Authorization}`);
}

function expectedKind(auth: Auth): keyof ServerCounts {
  return auth === "token" ? "token" : "aksk";
}

/** Why a run does not count: errors, or requests the server saw authenticated otherwise than asked. */
function invalidity(result: RunResult, counts: ServerCounts, auth: Auth): string | undefined {
  if (result.errors > 0) return `${result.errors} of ${result.calls} calls failed (${result.firstError})`;
  const expected = expectedKind(auth);
  const other = Object.entries(counts).filter(([kind, n]) => kind !== expected && n > 0);
  if (other.length > 0)
    return `sent ${other.map(([kind, n]) => `${n} requests with ${kind === "none" ? "no valid credential" : kind}`).join(", ")} instead of ${expected}`;
  return undefined;
}

async function measureAuth(auth: Auth, target: Target, server: Child<ToServer, FromServer>, settings: PerCallSettings) {
  const keys: AlternativeKey[] = ["raw-http", "raw-fetch", "client", "client-node-fetch", "typescript-fetch", "vendor-sdk"];
  const workers = new Map<AlternativeKey, Child<ToWorker, FromWorker>>();
  const groups = new Map<number, Group>();
  for (const concurrency of CONCURRENCY) {
    groups.set(concurrency, Object.fromEntries(keys.map((key) => [key, { callsPerSecond: [], cpuMicrosPerCall: [] }])) as unknown as Group);
  }
  const exclude = (key: AlternativeKey, why: string) => {
    for (const group of groups.values()) group[key].excluded ??= why;
  };
  try {
    for (const key of keys) {
      const worker = new Child<ToWorker, FromWorker>(join(perCallDir, "worker.ts"), { ...process.env, HOME: vendorHome() });
      workers.set(key, worker);
      const answer = await worker.next({ type: "setup", alternative: key, auth, target }, 60_000);
      if (answer.type === "failed") exclude(key, answer.message);
    }
    for (const concurrency of CONCURRENCY) {
      const group = groups.get(concurrency) as Group;
      for (let round = 0; round < settings.rounds; round++) {
        for (let j = 0; j < keys.length; j++) {
          const key = keys[(j + round) % keys.length] as AlternativeKey;
          const samples = group[key];
          if (samples.excluded) continue;
          await server.next({ type: "reset" }, 10_000);
          const message: ToWorker = {
            type: "run",
            concurrency,
            warmupMs: settings.warmupMs,
            durationMs: settings.durationMs,
            maxCalls: MAX_CALLS_PER_RUN,
          };
          const result = await (workers.get(key) as Child<ToWorker, FromWorker>).next(message, 120_000);
          if (result.type !== "result") {
            samples.excluded = result.type === "failed" ? result.message : "no result";
            continue;
          }
          const counts = await server.next({ type: "counts" }, 10_000);
          const why = counts.type === "counts" ? invalidity(result, counts.counts, auth) : "no counts from the server";
          if (why) {
            samples.excluded = why;
            continue;
          }
          samples.callsPerSecond.push(result.calls / result.seconds);
          samples.cpuMicrosPerCall.push(result.cpuMicros / result.calls);
        }
      }
    }
  } finally {
    for (const worker of workers.values()) worker.stop();
  }
  return groups;
}

const mode = (auth: Auth, concurrency: number) =>
  `${auth === "token" ? "token" : "AK/SK"}, ${concurrency === 1 ? "sequential" : `${concurrency} concurrent`}`;

export async function perCallSection(settings: PerCallSettings, overhead: OverheadFigures | undefined): Promise<Section> {
  await checkRawSigner();
  const server = new Child<ToServer, FromServer>(join(perCallDir, "server.ts"));
  const rows: Row[] = [];
  const notes: string[] = [];
  const targets: TargetCheck[] = [];
  const results = new Map<Auth, Map<number, Group>>();
  try {
    const listening = await server.next(undefined, 30_000);
    if (listening.type !== "listening") throw new Error("the per-call server did not start");
    const target: Target = { url: `http://127.0.0.1:${listening.port}`, ...world };
    for (const auth of ["token", "aksk"] as const) results.set(auth, await measureAuth(auth, target, server, settings));
  } finally {
    server.stop();
  }

  const excluded = new Map<string, string[]>();
  const ratioOf = (group: Group, a: AlternativeKey, b: AlternativeKey) => pairwise(group[a].callsPerSecond, group[b].callsPerSecond, ratio);
  for (const [auth, groups] of results) {
    for (const [concurrency, group] of groups) {
      const name = mode(auth, concurrency);
      for (const [key, samples] of Object.entries(group) as Array<[AlternativeKey, Samples]>) {
        if (samples.excluded) {
          // One note per flavor and auth when both concurrencies were excluded for the same reason.
          const reason = samples.excluded.replace(/\d+ requests/, "its requests").replace(/\d+ of \d+ calls/, "calls");
          const id = `${auth}|${key}|${reason}`;
          excluded.set(id, [...(excluded.get(id) ?? []), concurrency === 1 ? "sequential" : `${concurrency} concurrent`]);
          continue;
        }
        rows.push({ figure: `${name}: ${labels[key]}`, unit: "calls/s", digits: 0, summary: summarize(samples.callsPerSecond) });
        rows.push({ figure: "… CPU per call (client process)", unit: "µs", digits: 0, summary: summarize(samples.cpuMicrosPerCall) });
      }
      const comparisons: Array<[AlternativeKey, AlternativeKey]> = [
        ["client", "raw-fetch"],
        ["client", "vendor-sdk"],
        ["typescript-fetch", "raw-fetch"],
        ["raw-fetch", "raw-http"],
        ["client-node-fetch", "raw-fetch"],
        ["client-node-fetch", "raw-http"],
        ["client-node-fetch", "vendor-sdk"],
      ];
      for (const [a, b] of comparisons) {
        if (group[a].excluded || group[b].excluded) continue;
        rows.push({
          figure: `${name}: ${labels[a]} ÷ ${labels[b]}, calls/s`,
          unit: "×",
          digits: 2,
          summary: summarize(ratioOf(group, a, b)),
        });
      }
      const check = (subject: AlternativeKey, versus: AlternativeKey, wanted: number, issue: string) => {
        const value = median(ratioOf(group, subject, versus));
        const measured = group[subject].excluded || group[versus].excluded ? "not measured" : `${formatNumber(value, 2)}×`;
        const met = Number.isFinite(value) ? value >= wanted : undefined;
        const limit =
          met === undefined
            ? (group[subject].excluded ?? group[versus].excluded ?? "")
            : met
              ? undefined
              : explainPerCallGap(group, versus, auth === "aksk", overhead);
        targets.push({
          target: `${name}: ${subject === "client" ? "client" : labels[subject]} ≥ ${wanted}× ${labels[versus]} (${issue})`,
          measured,
          met,
          ...(limit === undefined ? {} : { limit }),
        });
      };
      if (auth === "token") {
        check("client", "raw-fetch", concurrency === 1 ? 0.95 : 0.9, "issue 15");
        if (concurrency === 1) check("client-node-fetch", "raw-fetch", 1.3, "issue 15");
      } else {
        check("client", "vendor-sdk", 1.5, "issue 15");
        check("client", "raw-fetch", 0.85, "issue 9");
      }
    }
  }
  for (const [id, modes] of excluded) {
    const [auth, key, reason] = id.split("|") as [Auth, AlternativeKey, string];
    notes.push(`Not measured, ${auth === "token" ? "token" : "AK/SK"} (${modes.join(" and ")}): ${labels[key]}: ${reason}.`);
  }
  return {
    title: "3. Per-call cost",
    method: [
      "A tiny `node:http` server in its own process on 127.0.0.1 answers `DELETE /v3/{project_id}/instances/{instance_id}/sessions` with 200 `{}` and an `X-Request-Id`, keep-alive on; it checks nothing but counts how each request authenticated, and a run whose requests were not authenticated as asked is thrown out.",
      `Each flavor runs in a process of its own (built once, reused across runs), which calls \`closeInstanceSessions\` for ${settings.durationMs} ms after ${settings.warmupMs} ms of warm-up, one call at a time or 50 in flight; calls/s over that window, and the worker's own user+system CPU (\`process.cpuUsage\`) per call. ${settings.rounds} rounds, flavors interleaved in rotating order; ratios per round, then the median.`,
      "“raw” means the same request written by hand: the client's headers (`User-Agent`, and `X-Auth-Token` or `X-Project-Id`/`X-Sdk-Date`/`Authorization`), signed with synchronous `node:crypto` (checked to give core's exact signature). The clients run with their defaults (retries, per-attempt timeout, input checks).",
      "`createNodeFetch` (`@geminidb-sessions/core/node`) is the fetch on `node:http` keep-alive agents that users opt into with the client's `fetch` option.",
    ],
    rows,
    notes,
    targets,
  };
}
