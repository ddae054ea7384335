import { createSessionsClient } from "@geminidb-sessions/client";
import { createCoreFetch, prepareCall, redactHeaders, resolveCoreOptions, sendCall, signRequest } from "@geminidb-sessions/core";
import { createSessionsApi } from "@geminidb-sessions/typescript-fetch";
import { type Row, row, type Section } from "../lib/report.js";
import { type Alternative, difference, interleave, median, pairwise } from "../lib/stats.js";
import { signBodiless } from "../per-call/raw-signer.js";
import { type OverheadFigures, world } from "./per-call.js";

const endpoint = "http://127.0.0.1:8080";
const url = `${endpoint}/v3/${world.projectId}/instances/${world.instanceId}/sessions`;

const encoder = new TextEncoder();
/** The stubs' answer: what the server answers a close. */
const answerHeaders = { "content-type": "application/json", "x-request-id": "0123456789abcdef" };
const answerBody = encoder.encode("{}");

/** A fetch that answers at once, as the server would: what is left is the client's own work. */
const stubFetch = async () => new Response("{}", { status: 200, headers: answerHeaders });

/**
 * The same stub as core's Node transport meets it: a fetch carrying an exchange (what `createNodeFetch`
 * and the Node entry's default fetch carry, under core's `Symbol.for` key), so the client skips the
 * `Response` and reads the answer's head and bytes directly. `calls` counts the exchanges taken: a
 * key core no longer reads would measure the fetch path instead, and the section refuses that.
 */
const EXCHANGE_KEY = Symbol.for("@geminidb-sessions/core.exchange@2");
const stubAnswer = () =>
  Promise.resolve({
    status: 200,
    statusText: "OK",
    headers: answerHeaders,
    body: Promise.resolve(answerBody),
    response: () => new Response(answerBody, { status: 200, headers: answerHeaders }),
  });
const stubExchange = Object.assign(async () => stubFetch(), {
  calls: 0,
  [EXCHANGE_KEY]: () => {
    stubExchange.calls++;
    return stubAnswer();
  },
});

type Work = () => Promise<unknown> | unknown;

const hex = (buffer: ArrayBuffer) => Buffer.from(buffer).toString("hex");

/**
 * What core's signer paid before it used node:crypto (issue 15): the same two
 * SHA-256 and the HMAC with Web Crypto, the HMAC key imported on every call.
 */
async function webCryptoSignature(secretKey: string, canonical: string): Promise<string> {
  const subtle = globalThis.crypto.subtle;
  const bodyHash = hex(await subtle.digest("SHA-256", encoder.encode("")));
  const hash = hex(await subtle.digest("SHA-256", encoder.encode(`${canonical}${bodyHash}`)));
  const key = await subtle.importKey("raw", encoder.encode(secretKey), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return hex(await subtle.sign("HMAC", key, encoder.encode(`SDK-HMAC-SHA256\n20261128T093000Z\n${hash}`)));
}

/** How many calls take about `targetMs`, after a warm-up. */
async function calibrate(work: Work, targetMs: number): Promise<number> {
  let n = 100;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await work();
    const ms = performance.now() - t0;
    if (ms >= targetMs / 4 || n >= 1_000_000) return Math.max(100, Math.ceil((n * targetMs) / Math.max(ms, 1)));
    n *= 4;
  }
}

/** CPU microseconds per call (user + system of this process, the crypto thread pool included). */
function cpuPerCall(key: string, work: Work, iterations: number): Alternative {
  return {
    key,
    sample: async () => {
      const cpu = process.cpuUsage();
      for (let i = 0; i < iterations; i++) await work();
      const used = process.cpuUsage(cpu);
      return (used.user + used.system) / iterations;
    },
  };
}

export async function clientOverheadSection(rounds: number, targetMs: number): Promise<{ section: Section; figures: OverheadFigures }> {
  const options = { projectId: world.projectId, endpoint, credentials: { token: world.token }, fetch: stubFetch };
  const tokenClient = createSessionsClient(options);
  const akskClient = createSessionsClient({ ...options, credentials: { accessKey: world.accessKey, secretKey: world.secretKey } });
  const exchangeClient = createSessionsClient({ ...options, fetch: stubExchange });
  const api = createSessionsApi(options as Parameters<typeof createSessionsApi>[0]);
  const parsedUrl = new URL(url);
  const resolvedToken = resolveCoreOptions(options);
  const coreFetchToken = createCoreFetch(resolvedToken);
  const prepared = prepareCall("closeInstanceSessions", { instanceId: world.instanceId }, resolvedToken, "bench");
  const path = { project_id: world.projectId, instance_id: world.instanceId };
  const works: Array<[string, string, Work]> = [
    ["stub", "the stub fetch alone (a `new Response`)", stubFetch],
    [
      "client-token",
      "`client.closeInstanceSessions` over the stub, token",
      () => tokenClient.closeInstanceSessions({ instanceId: world.instanceId }),
    ],
    [
      "client-aksk",
      "`client.closeInstanceSessions` over the stub, AK/SK",
      () => akskClient.closeInstanceSessions({ instanceId: world.instanceId }),
    ],
    ["stub-exchange", "the stub exchange alone (an answer's head and bytes, no `Response`)", stubAnswer],
    [
      "client-exchange",
      "`client.closeInstanceSessions` over the stub exchange, token (the path a call takes on Node by default)",
      () => exchangeClient.closeInstanceSessions({ instanceId: world.instanceId }),
    ],
    [
      "tsf-token",
      "`typescript-fetch` `closeInstanceSessions` over the stub, token",
      () => api.closeInstanceSessions({ projectId: world.projectId, instanceId: world.instanceId }),
    ],
    [
      "piece-target",
      "piece: the call's input checks (`prepareCall`: the operation's generated input validator and the request target)",
      () => prepareCall("closeInstanceSessions", { instanceId: world.instanceId }, resolvedToken, "bench"),
    ],
    [
      "piece-send-call",
      "piece: core's transport on parts (`sendCall`, what a method without middleware calls) over the stub, token, given the prepared call",
      () => sendCall(resolvedToken, prepared),
    ],
    [
      "piece-core-fetch",
      "piece: core's `createCoreFetch` over the stub, token, given a `new Request` (typescript-fetch's and `client.raw`'s way in; the Request's build included)",
      () => coreFetchToken(new Request(url, { method: "DELETE" })),
    ],
    [
      "piece-openapi-fetch",
      "piece: openapi-fetch alone over the stub (its `new Request`, middleware loop, response handling): what a method pays once middleware is added, and `client.raw` always",
      () => tokenClient.raw.DELETE("/v3/{project_id}/instances/{instance_id}/sessions", { params: { path }, fetch: stubFetch }),
    ],
    [
      "piece-signal",
      "… of which: an `AbortController` signal and a `setTimeout`, then cleared, as every attempt made before; an attempt over core's Node transport now makes no `AbortController`, one for a `fetch` (this stub's) still does",
      () => {
        const attempt = new AbortController();
        const timer = setTimeout(() => attempt.abort(), 30_000);
        clearTimeout(timer);
        return attempt.signal;
      },
    ],
    [
      "piece-redact",
      "… of which: `redactHeaders` of the response headers (those of the request only for a logger)",
      () => redactHeaders(answerHeaders, [world.token]),
    ],
    [
      "core-sign",
      "core's `signRequest` (node:crypto where the runtime has it: SHA-256 ×2, HMAC with a cached key)",
      () => signRequest({ method: "DELETE", url, headers: {} }, world, { projectId: world.projectId }),
    ],
    [
      "web-sign",
      "the same hashes and HMAC with Web Crypto, key imported per call (what core paid before issue 15)",
      () => webCryptoSignature(world.secretKey, `DELETE\n${parsedUrl.pathname}/\n\nhost:${parsedUrl.host}\n`),
    ],
    [
      "raw-sign",
      "the same signature with synchronous `node:crypto` (bench/src/per-call/raw-signer.ts)",
      () => signBodiless("DELETE", parsedUrl, world.projectId, world.accessKey, world.secretKey),
    ],
  ];
  const alternatives: Alternative[] = [];
  for (const [key, , work] of works) alternatives.push(cpuPerCall(key, work, await calibrate(work, targetMs)));
  stubExchange.calls = 0;
  const samples = await interleave(alternatives, rounds);
  if (stubExchange.calls === 0)
    throw new Error(
      'the client never took the stub exchange: core no longer reads it under Symbol.for("@geminidb-sessions/core.exchange@2")',
    );
  const unit = "µs CPU/call";
  const rows: Row[] = works.map(([key, label]) => row(label, unit, samples[key] ?? []));
  /** A piece's samples less the same round's stub fetch alone. */
  const overStub = (key: string) => pairwise(samples[key] ?? [], samples.stub ?? [], difference);
  rows.splice(
    3,
    0,
    row("… client's own work, token (client over stub − stub)", unit, overStub("client-token")),
    row("… client's own work, AK/SK (client over stub − stub)", unit, overStub("client-aksk")),
  );
  rows.splice(
    rows.findIndex((line) => line.figure.startsWith("`client.closeInstanceSessions` over the stub exchange")) + 1,
    0,
    row(
      "… client's own work on that path (client over stub exchange − stub exchange)",
      unit,
      pairwise(samples["client-exchange"] ?? [], samples["stub-exchange"] ?? [], difference),
    ),
  );
  const figures: OverheadFigures = {
    clientOwnToken: median(overStub("client-token")),
    clientOwnAksk: median(overStub("client-aksk")),
    coreSign: median(samples["core-sign"] ?? []),
    webSign: median(samples["web-sign"] ?? []),
    coreFetch: median(overStub("piece-send-call")),
    openapiFetch: median(overStub("piece-openapi-fetch")),
    rawSign: median(samples["raw-sign"] ?? []),
  };
  const section: Section = {
    title: "3b. Where a call's CPU goes (in process, no network)",
    method: [
      `Each piece run back to back for about ${targetMs} ms per sample in the benchmark's own process; CPU time (\`process.cpuUsage\`, user + system, so Web Crypto's thread pool counts) per call. ${rounds} rounds, interleaved. The clients get a \`fetch\` that answers at once, so what they cost beyond it is their own work: input checks, \`Request\`/\`Headers\` copies, the per-attempt timeout signal, signing, error mapping, openapi-fetch. The rows marked “piece” and “of which” take the call apart: each piece alone, with the stub where it calls a fetch (subtract the stub's own row), so where the time goes can be read off and checked against the whole.`,
      "On Node a call does not go through a `fetch` by default: core's transport hands the request to node:http through an exchange (`createNodeFetch`, the Node entry's default fetch) and reads the answer's head and bytes without building a `Response`. The rows “over the stub exchange” give the client such a stub (it counts the calls it takes, so the section fails rather than measure the fetch path if core stops reading it).",
    ],
    rows,
  };
  return { section, figures };
}
