// A Redocly decorator for `pnpm docs` only (the spec itself is never changed):
// Redoc does not render the root `x-error-catalog` extension, yet it is what a
// reviewer most needs to see, so it is appended to the overview as a table.
// Redocly 2.x loads plugins as ES modules and calls the default export.

const cell = (value) => String(value).replaceAll("|", "\\|").replaceAll("\n", " ");

function catalogTable(catalog) {
  const rows = Object.entries(catalog).map(
    ([code, entry]) =>
      `| \`${cell(code)}\` | ${cell((entry.statuses ?? []).join(", "))} | ${cell(entry.meaning ?? entry.message ?? "")} | ${cell(entry.remedy ?? "")} | ${entry.retryable ? "yes" : "no"} |`,
  );
  return [
    "## Error codes",
    "",
    "Every `error_code` the operation can answer (from `x-error-catalog`). Branch on the code and the HTTP status, never on message text.",
    "",
    "| code | HTTP status | meaning | what to do | retry helps |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

function errorCatalogTable() {
  return {
    Root: {
      leave(root) {
        const catalog = root["x-error-catalog"];
        if (catalog === null || typeof catalog !== "object") return;
        root.info.description = `${root.info.description ?? ""}\n\n${catalogTable(catalog)}\n`;
      },
    },
  };
}

export default function geminidbDocs() {
  return {
    id: "geminidb-docs",
    decorators: {
      oas3: { "error-catalog-table": errorCatalogTable },
    },
  };
}
