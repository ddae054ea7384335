// Redocly decorators for `pnpm docs:build` only (the spec itself is never changed; they edit
// the copy Redoc renders). Redocly 2.x loads plugins as ES modules and calls the default export.
//
// - error-catalog: Redoc does not render the root `x-error-catalog` extension, yet it is
//   what a reviewer most needs to see, so it is appended to the overview as an "Error
//   codes" section: one card per code (a table does not fit Redoc's middle column on a
//   laptop, let alone a phone). The layout lives in template.hbs.
// - provenance: any spec object carrying `x-source` (a URL or a list of URLs) or
//   `x-assumption` ("<reason>") gets a line in its description showing the source as a
//   link and/or an "assumption" mark with the reason, so a reader can tell vendor facts
//   from the project's own modelling. Catalog entries get the same line in their card.
//   A response body schema Redoc does not display (an empty object) has its line shown
//   in the response's description. The raw extensions are then removed from the
//   rendered copy (showExtensions would print them again as JSON).

const escapeHtml = (value) =>
  String(value).replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");

/** Escapes text and turns its `code spans` into <code>, the one markdown the catalog's prose uses. */
const prose = (value) => escapeHtml(value).replace(/`([^`]+)`/g, "<code>$1</code>");

function sourcesOf(node, where) {
  const raw = node["x-source"];
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  for (const url of list) {
    if (typeof url !== "string" || !/^https?:\/\/[^\s/]+/.test(url)) {
      throw new Error(`${where}: x-source must be an http(s) URL or a list of them, got ${JSON.stringify(url)}`);
    }
  }
  return list;
}

function assumptionOf(node, where) {
  const raw = node["x-assumption"];
  if (raw === undefined) return undefined;
  if (typeof raw !== "string" || raw.trim() === "") throw new Error(`${where}: x-assumption must be a non-empty string (the reason)`);
  return raw.trim();
}

/** A link's text: the URL without its scheme (still the whole address, so a reader can judge it). */
const linkText = (url) => url.replace(/^https?:\/\//, "").replace(/\/$/, "");

/**
 * The provenance line of a node, as one HTML block (or "" when it has no marker);
 * `subject` names what it is about when it is shown on another object.
 * `data-provenance` lets the docs test find what a reader sees.
 */
function provenanceHtml(node, where, subject) {
  const sources = sourcesOf(node, where);
  const assumption = assumptionOf(node, where);
  const parts = [];
  if (sources.length > 0) {
    const links = sources.map((url) => `<a href="${escapeHtml(url)}" rel="noopener noreferrer">${escapeHtml(linkText(url))}</a>`);
    parts.push(`<span class="gdb-source" data-provenance="source">Source: ${links.join(", ")}</span>`);
  }
  if (assumption !== undefined) {
    parts.push(
      `<span class="gdb-assumption" data-provenance="assumption"><span class="gdb-assumption-mark">assumption</span> ${prose(assumption)}</span>`,
    );
  }
  if (parts.length === 0) return "";
  const about = subject === undefined ? "" : `<span class="gdb-provenance-subject">${escapeHtml(subject)}</span>`;
  return `<p class="gdb-provenance">${about}${parts.join(" ")}</p>`;
}

function catalogCard(code, entry) {
  const where = `x-error-catalog.${code}`;
  const statuses = (entry.statuses ?? []).join(", ");
  const retry = entry.retryable ? "retry can help" : "retry does not help";
  const lines = [
    `<div class="gdb-catalog-entry" id="error-${escapeHtml(code)}" data-error-code="${escapeHtml(code)}">`,
    `<p class="gdb-catalog-head"><code class="gdb-code">${escapeHtml(code)}</code>` +
      (statuses === "" ? "" : ` <span class="gdb-status">HTTP ${escapeHtml(statuses)}</span>`) +
      ` <span class="gdb-retry gdb-retry-${entry.retryable ? "yes" : "no"}">${retry}</span></p>`,
  ];
  if (entry.meaning !== undefined) lines.push(`<p>${prose(entry.meaning)}</p>`);
  if (entry.remedy !== undefined) lines.push(`<p><strong>What to do:</strong> ${prose(entry.remedy)}</p>`);
  if (entry.message !== undefined)
    lines.push(`<p class="gdb-message"><strong>Message:</strong> <code>${escapeHtml(entry.message)}</code></p>`);
  const provenance = provenanceHtml(entry, where);
  if (provenance !== "") lines.push(provenance);
  lines.push("</div>");
  return lines.join("\n");
}

function catalogSection(catalog) {
  // One HTML block: no blank line inside, or markdown would end it early.
  const cards = Object.entries(catalog).map(([code, entry]) => catalogCard(code, entry ?? {}));
  return [
    "## Error codes",
    "",
    "Every `error_code` the API can answer (from `x-error-catalog`), with its HTTP status, what it means, what to do and whether a retry can help. Branch on the code and the HTTP status, never on message text.",
    "",
    `<div class="gdb-catalog">\n${cards.join("\n")}\n</div>`,
  ].join("\n");
}

function errorCatalog() {
  return {
    Root: {
      leave(root) {
        const catalog = root["x-error-catalog"];
        if (catalog === null || typeof catalog !== "object") return;
        root.info.description = `${root.info.description ?? ""}\n\n${catalogSection(catalog)}\n`;
      },
    },
  };
}

const hasMarkers = (node) =>
  node !== null &&
  typeof node === "object" &&
  !Array.isArray(node) &&
  (node["x-source"] !== undefined || node["x-assumption"] !== undefined);

function provenance() {
  // Nodes already given their line (a $ref'd node is walked once per reference).
  const shown = new Set();
  return {
    any: {
      enter(node, ctx) {
        if (!hasMarkers(node) || shown.has(node)) return;
        // Markers inside a vendor extension (x-iam-action, x-signing, x-pagination) source a fact
        // Redoc does not render; `pnpm spec:claims` lists them, the page has nowhere to show them.
        if (ctx.type.name === "SpecExtension" || /\/x-[^/]+(\/|$)/.test(ctx.location.pointer)) return;
        // Redoc shows a server's description as plain text in a one-line picker: a source line
        // there would be clipped markup. The servers' sources are listed by `pnpm spec:claims`.
        if (ctx.type.name === "Server" || ctx.type.name === "ServerVariable" || ctx.type.name === "ServerVariablesMap") return;
        const where = `${ctx.type.name} at ${ctx.location.pointer}`;
        if (ctx.type.properties?.description === undefined) {
          throw new Error(`${where}: x-source/x-assumption on an object that has no description to show them in`);
        }
        node.description = `${node.description ? `${node.description}\n\n` : ""}${provenanceHtml(node, where)}\n`;
        shown.add(node);
      },
    },
    // A response carries its body schema's provenance in its own description: Redoc 3 does
    // not show a response body schema's description (and shows no empty-object body at all).
    // Runs before the schema is walked, while its markers are still on it.
    Response: {
      enter(response, ctx) {
        for (const [mediaType, media] of Object.entries(response.content ?? {})) {
          const schema = media?.schema === undefined ? undefined : ctx.resolve(media.schema).node;
          if (!hasMarkers(schema)) continue;
          const line = provenanceHtml(schema, `the ${mediaType} body of the response at ${ctx.location.pointer}`, `The ${mediaType} body:`);
          response.description = `${response.description ?? ""}\n\n${line}\n`;
        }
      },
    },
    // The raw extensions go once every node is done: showExtensions would print them again as JSON.
    Root: {
      leave() {
        for (const node of shown) {
          delete node["x-source"];
          delete node["x-assumption"];
        }
      },
    },
  };
}

export default function geminidbDocs() {
  return {
    id: "geminidb-docs",
    decorators: {
      oas3: { "error-catalog": errorCatalog, provenance },
    },
  };
}
