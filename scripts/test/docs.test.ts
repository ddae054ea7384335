import { execFile } from "node:child_process";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { chromium as playwright } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadSpec, repoRoot } from "../lib/repo.js";
import { findChromium } from "../release/tools.js";

// `pnpm docs:build` rendered in Debian's Chromium (driven by playwright-core, one launch for
// everything): at a phone, a laptop and a wide-screen width, every operation and every
// error-catalog code is on the page, nothing is clipped or sticks out of its container,
// codes never wrap mid-token, and provenance markers (x-source, x-assumption) show.

const run = promisify(execFile);
const docsDir = join(repoRoot, ".cache/docs");
const docsFile = join(docsDir, "index.html");

const widths = [
  { name: "phone", width: 390, height: 844 },
  { name: "laptop", width: 1400, height: 900 },
  { name: "wide", width: 1920, height: 1080 },
] as const;
type WidthName = (typeof widths)[number]["name"];

const chromium = findChromium();
if (chromium.missing) process.stdout.write(`skipped: ${chromium.missing}\n`);

// ---------------------------------------------------------------------------------------
// What the spec says must be on the page.

type Node = Record<string, unknown>;
const methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

/** Follows local `$ref`s ("#/components/…") to the object they name. */
function deref(document: Node, node: unknown): Node {
  let current = node as Node;
  for (let hops = 0; typeof current?.$ref === "string" && hops < 16; hops++) {
    current = (current.$ref as string)
      .slice(2)
      .split("/")
      .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce<Node>((at, key) => at[key] as Node, document);
  }
  return current ?? {};
}

interface SpecOperation {
  method: string;
  path: string;
  operationId: string;
  summary: string;
  /** Names of its parameters (path-level and operation-level). */
  parameters: string[];
  /** Top-level property names of its JSON request body, if it has one. */
  bodyProperties: string[];
  statuses: string[];
  /** The security schemes it accepts. */
  security: string[];
}

function specOperations(document: Node): SpecOperation[] {
  const operations: SpecOperation[] = [];
  for (const [path, rawItem] of Object.entries((document.paths ?? {}) as Record<string, unknown>)) {
    const item = deref(document, rawItem);
    for (const method of methods) {
      const operation = item[method] as Node | undefined;
      if (operation === undefined) continue;
      const parameters = [...((item.parameters ?? []) as unknown[]), ...((operation.parameters ?? []) as unknown[])].map(
        (parameter) => deref(document, parameter).name as string,
      );
      const body = deref(document, operation.requestBody);
      const bodySchema = deref(document, (body.content as Record<string, Node> | undefined)?.["application/json"]?.schema);
      operations.push({
        method,
        path,
        operationId: operation.operationId as string,
        summary: operation.summary as string,
        parameters,
        bodyProperties: Object.keys((bodySchema.properties ?? {}) as Node),
        statuses: Object.keys((operation.responses ?? {}) as Node),
        security: ((operation.security ?? document.security ?? []) as Node[]).flatMap((requirement) => Object.keys(requirement)),
      });
    }
  }
  return operations;
}

// ---------------------------------------------------------------------------------------
// Measuring the rendered DOM. `inspect` runs in the page, so it is self-contained.

interface LayoutProblem {
  kind: "page-overflow" | "clipped" | "sticks-out" | "past-viewport";
  /** What was on screen: the default view, or a section with one of its response tabs open. */
  view: string;
  /** How many CSS pixels of content are cut off or stick out. */
  px: number;
  element: string;
  text: string;
}

interface CodeOnPage {
  code: string;
  /** Line boxes the code's text occupies: 1 when it is on one line, 0 when it is not on the page. */
  lines: number;
}

interface PageReport {
  /** Routes the page links to ("/tag/operation") whose section did not render when followed. */
  unrendered: string[];
  problems: LayoutProblem[];
  codes: CodeOnPage[];
  /** Each rendered section (overview, tag, operation), by heading: its text with every response tab shown in turn. */
  sections: Record<string, string>;
  /** Visible link targets and assumption marks (in any response tab). */
  links: string[];
  assumptions: string[];
}

/**
 * Follows every route the page links to ("/tag/operation", "#/tag/operation") by clicking
 * the link, as a reader would (Redoc renders sections as they are reached and drops others
 * as it goes, and again when its layout changes with the width). After each, measures the
 * page, then shows every response tab of every operation in
 * turn and measures again. Problems are every way content becomes unreadable sideways:
 * the page scrolls sideways; an element clips or scrolls its content (scrollWidth >
 * clientWidth with overflow other than visible, which also catches text-overflow:
 * ellipsis); an element is wider than its parent's box; or it ends right of the viewport.
 * Inside an element already reported as clipping, nothing more is reported.
 */
async function inspect(codes: string[]): Promise<PageReport> {
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const name = (element: Element) =>
    `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ""}${
      typeof element.className === "string" && element.className.trim() !== "" ? `.${element.className.trim().split(/\s+/).join(".")}` : ""
    }`;
  const textOf = (element: Element) => (element.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 60);
  const visible = (element: Element) => element.checkVisibility({ visibilityProperty: true, opacityProperty: true });
  const report: PageReport = { unrendered: [], problems: [], codes: [], sections: {}, links: [], assumptions: [] };

  const measure = (view: string) => {
    const viewport = document.documentElement.clientWidth;
    const pageOverflow = document.documentElement.scrollWidth - viewport;
    if (pageOverflow > 1) report.problems.push({ kind: "page-overflow", view, px: pageOverflow, element: "html", text: "" });
    const clipping: Element[] = [];
    for (const element of document.querySelectorAll("body *")) {
      if (!(element instanceof HTMLElement) || !visible(element)) continue;
      const box = element.getBoundingClientRect();
      // Skip what a reader cannot see: empty boxes, the 1-px "visually hidden" labels, off-canvas drawers.
      if (box.width < 2 || box.height < 2 || box.right <= 0) continue;
      if (clipping.some((clipper) => clipper.contains(element))) continue;
      const problem = (kind: LayoutProblem["kind"], px: number) =>
        report.problems.push({ kind, view, px, element: name(element), text: textOf(element) });
      const style = getComputedStyle(element);
      if (style.overflowX !== "visible" && element.scrollWidth > element.clientWidth + 1) {
        problem("clipped", element.scrollWidth - element.clientWidth);
        clipping.push(element);
      }
      const parent = element.parentElement;
      if (parent !== null && style.position !== "fixed" && style.position !== "absolute" && getComputedStyle(parent).display !== "inline") {
        const over = box.right - parent.getBoundingClientRect().right;
        if (over > 1) problem("sticks-out", over);
      }
      if (box.right > viewport + 1) problem("past-viewport", box.right - viewport);
    }
  };
  const provenance = () => {
    for (const anchor of document.querySelectorAll("a[href]")) if (visible(anchor)) report.links.push(anchor.getAttribute("href") ?? "");
    for (const mark of document.querySelectorAll("[data-provenance='assumption']")) {
      if (visible(mark)) report.assumptions.push((mark.textContent ?? "").replace(/\s+/g, " ").trim());
    }
  };

  const codeLines = new Map<string, number>();
  const measureCodes = () => {
    const visibleCodes = [...document.querySelectorAll("code")].filter(visible);
    for (const code of codes) {
      const element = visibleCodes.find((candidate) => (candidate.textContent ?? "").trim() === code);
      if (element === undefined || codeLines.has(code)) continue;
      const range = document.createRange();
      range.selectNodeContents(element);
      const tops = new Set([...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top)));
      codeLines.set(code, tops.size);
    }
  };
  // Measures what is rendered now, then each section not seen yet with each of its response tabs.
  const inspected = new Set<string>();
  const inspectRendered = async (view: string) => {
    await frame();
    measure(view);
    provenance();
    measureCodes();
    for (const section of document.querySelectorAll<HTMLElement>("[data-section-id]")) {
      const heading = section.querySelector("h1, h2")?.textContent?.trim();
      const id = section.dataset.sectionId ?? heading ?? "";
      if (heading === undefined || inspected.has(id)) continue;
      // innerText, not textContent: what a reader sees, without hidden tabs and collapsed parts.
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point
      let text = section.innerText;
      // A section Redoc has placed but not filled yet (the next one below the view) is looked at
      // again once the reader reaches it.
      if (text.replace(heading, "").trim() === "") continue;
      inspected.add(id);
      for (const tablist of section.querySelectorAll("[role='tablist']")) {
        const tabs = [...tablist.querySelectorAll<HTMLElement>("[role='tab']")];
        for (const tab of tabs) {
          tab.click();
          await frame();
          measure(`${section.dataset.sectionId} tab ${textOf(tab)}`);
          provenance();
          // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point
          text += `\n${section.innerText}`;
        }
        tabs[0]?.click();
      }
      report.sections[heading] = text;
    }
  };

  await inspectRendered("/");
  const route = (anchor: Element) => (anchor.getAttribute("href") ?? "").replace(/^#/, "");
  const rendered = (target: string) =>
    [...document.querySelectorAll(`[data-section-id="${CSS.escape(target)}"]`)].some((section) => section.querySelector("h1, h2") !== null);
  const followed = new Set<string>();
  for (;;) {
    const next = [...document.querySelectorAll("a[href]")].find(
      (anchor) => /^\/[^#]*$/.test(route(anchor)) && !followed.has(route(anchor)),
    );
    if (next === undefined) break;
    const target = route(next);
    followed.add(target);
    (next as HTMLElement).click();
    for (let waited = 0; !rendered(target) && waited < 100; waited++) await frame();
    if (!rendered(target)) report.unrendered.push(target);
    else await inspectRendered(target);
  }
  // Sections first seen before Redoc filled them: visit their route again until each is filled. A loaded
  // machine can take many frames to fill one, so wait for the text (up to about 300 frames), not a fixed count.
  const filled = (target: string) =>
    [...document.querySelectorAll<HTMLElement>(`[data-section-id="${CSS.escape(target)}"]`)].some((section) => {
      const heading = section.querySelector("h1, h2")?.textContent?.trim();
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point
      return heading !== undefined && section.innerText.replace(heading, "").trim() !== "";
    });
  for (let pass = 0; pass < 3; pass++) {
    const pending = [...document.querySelectorAll("a[href]")].filter(
      (anchor) => /^\/[^#]*$/.test(route(anchor)) && !inspected.has(route(anchor)) && rendered(route(anchor)),
    );
    if (pending.length === 0) break;
    for (const anchor of pending) {
      (anchor as HTMLElement).click();
      for (let waited = 0; !filled(route(anchor)) && waited < 300; waited++) await frame();
      await inspectRendered(route(anchor));
    }
  }

  report.codes = codes.map((code) => ({ code, lines: codeLines.get(code) ?? 0 }));
  await frame();
  return report;
}

// ---------------------------------------------------------------------------------------
// Visiting the page: one load per built reference, then every width by resizing.

/** Waits until React has hydrated the prerendered page (its DOM nodes carry React's keys). */
async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const root = document.querySelector("#redoc *");
    return root !== null && Object.keys(root).some((key) => key.startsWith("__react"));
  });
}

interface Rendering {
  reports: Record<WidthName, PageReport>;
  /** Requests the page tried to make to anything but its own file. */
  remoteRequests: string[];
}

/** Renders one built reference at every width; `screenshots` saves one full page per width under .cache/docs/. */
async function render(browser: Browser, file: string, codes: string[], screenshots: boolean): Promise<Rendering> {
  const result: Rendering = { reports: {} as Rendering["reports"], remoteRequests: [] };
  const context = await browser.newContext();
  // The page must work offline: record and refuse anything but the file itself.
  await context.route(
    (url) => url.protocol !== "file:",
    (route) => {
      result.remoteRequests.push(route.request().url());
      return route.abort();
    },
  );
  try {
    const page = await context.newPage();
    await page.goto(`${pathToFileURL(file).href}#/`);
    await hydrated(page);
    for (const { name, width, height } of widths) {
      await page.setViewportSize({ width, height });
      result.reports[name] = await page.evaluate(inspect, codes);
      if (screenshots) await page.screenshot({ path: join(docsDir, `reference-${width}.png`), fullPage: true });
    }
  } finally {
    await context.close();
  }
  return result;
}

/** The problems of a rendering at one width, one line each (where first seen), for a failure message. */
function listProblems(rendering: Rendering, width: WidthName): string[] {
  const lines = new Map<string, string>();
  for (const { kind, view, px, element, text } of rendering.reports[width].problems) {
    const what = `${kind} by ${Math.round(px)}px at ${element} "${text}"`;
    if (!lines.has(what)) lines.set(what, `${width} ${view}: ${what}`);
  }
  return [...lines.values()];
}

/** The largest overflow (in px) per width and kind: the figures to compare before and after a change. */
function worstOverflow(rendering: Rendering): Record<string, Record<string, number>> {
  const worst: Record<string, Record<string, number>> = {};
  for (const { name } of widths) {
    const figures: Record<string, number> = {};
    for (const { kind, px } of rendering.reports[name].problems) figures[kind] = Math.max(figures[kind] ?? 0, Math.round(px));
    worst[name] = figures;
  }
  return worst;
}

// ---------------------------------------------------------------------------------------
// Provenance fixture: the real spec with x-source / x-assumption on every catalog entry,
// every operation, a response header, a response schema and a parameter. Each URL and
// reason is unique, so finding it on the page means that marker was rendered.

interface Marked {
  /** The marked object, for a failure message. */
  on: string;
  sources: string[];
  assumption?: string;
}

function markedCopy(document: Node): { document: Node; marks: Marked[]; operations: SpecOperation[] } {
  const copy = structuredClone(document);
  const marks: Marked[] = [];
  const mark = (on: string, node: Node, sources: string[], assumption?: string) => {
    if (sources.length > 0) node["x-source"] = sources.length === 1 ? sources[0] : sources;
    if (assumption !== undefined) node["x-assumption"] = assumption;
    marks.push({ on, sources, ...(assumption === undefined ? {} : { assumption }) });
  };
  // Catalog entries: a list of sources, one source, an assumption, and both.
  Object.entries(copy["x-error-catalog"] as Record<string, Node>).forEach(([code, entry], index) => {
    const sources =
      [[`https://fixture.test/errors/${code}`, `https://fixture.test/more/${code}`], [`https://fixture.test/errors/${code}`], []][
        index % 3
      ] ?? [];
    mark(`catalog ${code}`, entry, sources, index % 2 === 0 ? `fixture reason for ${code}: modelled from observed behaviour` : undefined);
  });

  // One more operation, in its own tag, with a JSON request body: the page must show
  // however many operations the spec has, not only today's.
  const [model] = specOperations(copy);
  if (model === undefined) throw new Error("the spec has no operation");
  const modelItem = deref(copy, (copy.paths as Node)[model.path]);
  (copy.paths as Node)[`${model.path}/fixture-extra`] = {
    parameters: structuredClone(modelItem.parameters ?? []),
    post: {
      ...structuredClone(modelItem[model.method] as Node),
      operationId: "fixtureExtraOperation",
      summary: "Fixture extra operation with a body",
      tags: ["Fixture extra tag"],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              properties: { fixture_flag: { type: "boolean" }, fixture_ids: { type: "array", items: { type: "string" } } },
            },
          },
        },
      },
    },
  };

  const operations = specOperations(copy);
  const operationNode = (operation: SpecOperation) => deref(copy, (copy.paths as Node)[operation.path])[operation.method] as Node;
  for (const operation of operations)
    mark(operation.operationId, operationNode(operation), [`https://fixture.test/operations/${operation.operationId}`]);
  const [first] = operations;
  if (first === undefined) throw new Error("the spec has no operation");
  const responses = Object.values((operationNode(first).responses ?? {}) as Node).map((response) => deref(copy, response));
  const header = responses.flatMap((response) => Object.values((response.headers ?? {}) as Node))[0];
  if (header === undefined) throw new Error(`${first.operationId}: no response has a header`);
  mark("a response header", deref(copy, header), ["https://fixture.test/headers/one", "https://fixture.test/headers/two"]);
  const schema = responses
    .map((response) => (response.content as Record<string, Node> | undefined)?.["application/json"]?.schema)
    .find(Boolean);
  if (schema === undefined) throw new Error(`${first.operationId}: no response has a JSON body`);
  mark("a response schema", deref(copy, schema), [], "fixture reason: the schema is modelled, not documented");
  // And a property of a body Redoc does display (the first one it shows: first variant, first property).
  const firstProperty = (node: unknown, depth = 0): Node | undefined => {
    const schema = deref(copy, node);
    const properties = Object.values((schema.properties ?? {}) as Node);
    if (properties.length > 0) return deref(copy, properties[0]);
    if (depth > 8) return undefined;
    for (const key of ["allOf", "anyOf", "oneOf"]) {
      for (const variant of (schema[key] ?? []) as unknown[]) {
        const found = firstProperty(variant, depth + 1);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  const property = responses
    .map((response) => firstProperty((response.content as Record<string, Node> | undefined)?.["application/json"]?.schema))
    .find(Boolean);
  if (property === undefined) throw new Error(`${first.operationId}: no response body has a property`);
  mark("a body property", property, ["https://fixture.test/properties/first"], "fixture reason: the property is observed, not documented");
  const pathItem = deref(copy, (copy.paths as Node)[first.path]);
  const parameter = [...((pathItem.parameters ?? []) as unknown[]), ...((operationNode(first).parameters ?? []) as unknown[])][0];
  if (parameter === undefined) throw new Error(`${first.operationId}: no parameter`);
  mark("a parameter", deref(copy, parameter), ["https://fixture.test/parameters/first"], "fixture reason: the pattern is inferred");
  return { document: copy, marks, operations };
}

// ---------------------------------------------------------------------------------------
// The decorators on their own (no browser): what they write, and the errors they raise.

type Visitor = Record<string, { enter?: (node: Node, ctx: unknown) => void; leave?: (node: Node, ctx: unknown) => void }>;
interface DocsPlugin {
  decorators: { oas3: Record<"error-catalog" | "provenance", () => Visitor> };
}

async function loadPlugin(): Promise<DocsPlugin["decorators"]["oas3"]> {
  const module = (await import(pathToFileURL(join(repoRoot, "scripts/release/docs/reference-plugin.js")).href)) as {
    default: () => DocsPlugin;
  };
  return module.default().decorators.oas3;
}

/** What Redocly passes a visitor, for a node of `type` at `pointer`. */
const context = (type: string, pointer: string, described = true) => ({
  type: { name: type, properties: described ? { description: {} } : {} },
  location: { pointer },
  resolve: (node: unknown) => ({ node }),
});

describe("reference-plugin.js (the docs build's decorators)", () => {
  it("adds a source link and an assumption mark to the description, escaped, and drops the raw markers at the end", async () => {
    const visitor = (await loadPlugin()).provenance();
    const schema: Node = {
      description: "A body.",
      "x-source": ["https://example.test/a?b=1&c=2", "https://example.test/d"],
      "x-assumption": "inferred from <observed> responses",
    };
    visitor.any?.enter?.(schema, context("Schema", "#/components/schemas/Body"));
    visitor.any?.enter?.(schema, context("Schema", "#/components/schemas/Body")); // walked again through another $ref
    visitor.Root?.leave?.({}, context("Root", "#/"));
    expect(schema["x-source"]).toBeUndefined();
    expect(schema["x-assumption"]).toBeUndefined();
    const description = schema.description as string;
    expect(description.startsWith("A body.\n\n")).toBe(true);
    expect(description).toContain('<a href="https://example.test/a?b=1&amp;c=2"');
    expect(description).toContain('<a href="https://example.test/d"');
    expect(description).toContain(
      'data-provenance="assumption"><span class="gdb-assumption-mark">assumption</span> inferred from &lt;observed&gt; responses',
    );
    expect(description.match(/data-provenance="source"/g)).toHaveLength(1);
  });

  it("shows the provenance of a body schema Redoc does not display on its response", async () => {
    const visitor = (await loadPlugin()).provenance();
    const response: Node = {
      description: "Accepted.",
      content: { "application/json": { schema: { type: "object", "x-assumption": "the body is always empty" } } },
    };
    visitor.Response?.enter?.(response, context("Response", "#/paths/~1x/delete/responses/200"));
    expect(response.description).toContain("The application/json body:");
    expect(response.description).toContain("the body is always empty");
  });

  it.each([
    [{ "x-source": "example.test/no-scheme" }, "Schema", true, "x-source must be an http(s) URL"],
    [{ "x-source": ["https://example.test/ok", 42] }, "Schema", true, "x-source must be an http(s) URL"],
    [{ "x-assumption": " " }, "Schema", true, "x-assumption must be a non-empty string"],
    [{ "x-source": "https://example.test/ok" }, "MediaType", false, "no description to show them in"],
  ])("refuses a bad marker %o on a %s, naming where it is", async (node, type, described, message) => {
    const visitor = (await loadPlugin()).provenance();
    expect(() => visitor.any?.enter?.(node as Node, context(type, "#/components/x", described))).toThrow(
      new RegExp(`${type} at #/components/x: .*${message.replace(/[()]/g, "\\$&")}`),
    );
  });

  it("renders the catalog as one card per code, with its status, retry advice and provenance", async () => {
    const visitor = (await loadPlugin())["error-catalog"]();
    const root: Node = {
      info: { description: "Intro." },
      "x-error-catalog": {
        "DBS.1": {
          statuses: [400],
          meaning: "Bad `x`.",
          remedy: "Fix it.",
          message: "Parameter error.",
          retryable: false,
          "x-source": "https://example.test/e",
        },
        "GW.2": { statuses: [502, 503], meaning: "Down.", retryable: true, "x-assumption": "seen in practice" },
      },
    };
    visitor.Root?.leave?.(root, context("Root", "#/"));
    const description = (root.info as Node).description as string;
    expect(description.startsWith("Intro.\n\n## Error codes\n")).toBe(true);
    expect(description.match(/class="gdb-catalog-entry"/g)).toHaveLength(2);
    expect(description).toContain('<code class="gdb-code">DBS.1</code> <span class="gdb-status">HTTP 400</span>');
    expect(description).toContain("<p>Bad <code>x</code>.</p>");
    expect(description).toContain('<span class="gdb-retry gdb-retry-yes">retry can help</span>');
    expect(description).toContain('<a href="https://example.test/e"');
    expect(description).toContain("</span> seen in practice</span>");
    // One HTML block: a blank line inside would end it and print the rest as text.
    expect(description.slice(description.indexOf('<div class="gdb-catalog">'))).not.toMatch(/\n\s*\n/);
  });
});

// ---------------------------------------------------------------------------------------

describe.skipIf(chromium.path === undefined)("pnpm docs:build, rendered in headless Chromium", () => {
  let scratch: string;
  let browser: Browser | undefined;
  let operations: SpecOperation[];
  let codes: string[];
  let real: Rendering;
  let fixture: Rendering;
  let marks: Marked[];
  let fixtureOperations: SpecOperation[];

  beforeAll(async () => {
    const { document } = await loadSpec();
    operations = specOperations(document);
    codes = Object.keys(document["x-error-catalog"] as Node);
    scratch = await mkdtemp(join(tmpdir(), "docs-test-"));
    const marked = markedCopy(document);
    marks = marked.marks;
    fixtureOperations = marked.operations;
    await writeFile(join(scratch, "openapi.yaml"), stringify(marked.document));
    const build = (args: string[]) =>
      run(process.execPath, [join(repoRoot, "node_modules/tsx/dist/cli.mjs"), "scripts/release/build-docs.ts", ...args], { cwd: repoRoot });
    const fixtureFile = join(scratch, "index.html");
    await Promise.all([build([]), build(["--spec", join(scratch, "openapi.yaml"), "--out", fixtureFile])]);

    browser = await playwright.launch({ executablePath: chromium.path as string, args: ["--no-sandbox", "--disable-gpu"] });
    [real, fixture] = await Promise.all([render(browser, docsFile, codes, true), render(browser, fixtureFile, codes, false)]);
    const figures = { worstOverflowPx: worstOverflow(real), problems: widths.flatMap(({ name }) => listProblems(real, name)) };
    await writeFile(join(docsDir, "layout.json"), `${JSON.stringify(figures, null, 2)}\n`);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  });

  it("reads the spec it checks: operations with summaries and a catalog", () => {
    expect(operations.length).toBeGreaterThan(0);
    for (const operation of operations) expect(operation.summary, operation.operationId).toEqual(expect.any(String));
    expect(codes.length).toBeGreaterThan(5);
  });

  it("makes no request beyond its own file (the page works offline)", () => {
    expect([...real.remoteRequests, ...fixture.remoteRequests]).toEqual([]);
  });

  it.each(widths)("shows every operation with its path, parameters, body, statuses and auth schemes at $width px", ({ name }) => {
    expect(real.reports[name].unrendered).toEqual([]);
    expect(fixture.reports[name].unrendered).toEqual([]);
    expect(fixtureOperations.length).toBe(operations.length + 1);
    const shown = [
      ...operations.map((operation) => ({ operation, rendering: real })),
      ...fixtureOperations.map((operation) => ({ operation, rendering: fixture })),
    ];
    for (const { operation, rendering } of shown) {
      const text = rendering.reports[name].sections[operation.summary];
      expect(text, `${operation.operationId} has no section headed "${operation.summary}"`).toEqual(expect.any(String));
      const expected = [operation.path, ...operation.parameters, ...operation.bodyProperties, ...operation.statuses, ...operation.security];
      for (const part of expected) expect(text, `${operation.operationId}: ${part}`).toContain(part);
    }
  });

  it.each(widths)("shows every catalog code, each on one line, at $width px", ({ name }) => {
    expect(real.reports[name].codes.filter(({ lines }) => lines !== 1)).toEqual([]);
    expect(fixture.reports[name].codes.filter(({ lines }) => lines !== 1)).toEqual([]);
  });

  it.each(widths)("overflows nowhere at $width px: no clipped content, nothing wider than its container", ({ name }) => {
    expect([...listProblems(real, name), ...listProblems(fixture, name)]).toEqual([]);
  });

  it.each(widths)("shows each x-source as a link and each x-assumption as a mark with its reason at $width px", ({ name }) => {
    const { links, assumptions } = fixture.reports[name];
    const missing: string[] = [];
    for (const { on, sources, assumption } of marks) {
      for (const source of sources) if (!links.includes(source)) missing.push(`${on}: no link to ${source}`);
      if (assumption !== undefined && !assumptions.some((text) => /^assumption\b/i.test(text) && text.includes(assumption))) {
        missing.push(`${on}: no assumption mark "${assumption}"`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("keeps one screenshot per width under .cache/docs/", async () => {
    for (const { width } of widths) expect((await stat(join(docsDir, `reference-${width}.png`))).size).toBeGreaterThan(10_000);
  });
});
