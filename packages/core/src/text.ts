// One UTF-8 encoder and one decoder for the whole library: both are stateless when used without
// `stream` (a streaming decode, as error-response.ts does, makes its own decoder).

/** Encodes text as UTF-8. */
export const encoder: TextEncoder = /* @__PURE__ */ new TextEncoder();
/** Decodes whole UTF-8 bodies (never with `stream`: that would keep state between calls). */
export const decoder: TextDecoder = /* @__PURE__ */ new TextDecoder();
