import { deref, isObject } from "../lib/openapi.js";

const SCHEMA_POINTER = /^#\/components\/schemas\/([^/]+)$/;

/**
 * Every security scheme's `x-header-schema` names an existing
 * `components.schemas` entry. Redocly knows nothing of this extension: a bare
 * name is just a string to it, so a typo would go unnoticed.
 * Accepted forms: `{ $ref: '#/components/schemas/Name' }`, that pointer as a
 * string, or the bare schema name (the form the spec uses today).
 */
export function headerSchemaRefs() {
  return {
    Root: {
      leave(root, ctx) {
        const schemes = root.components?.securitySchemes;
        if (!isObject(schemes)) return;
        const schemas = isObject(root.components.schemas) ? root.components.schemas : {};
        for (const [schemeName, rawScheme] of Object.entries(schemes)) {
          const scheme = deref(ctx, rawScheme, ctx.location.child(["components", "securitySchemes", schemeName]));
          if (!scheme || !isObject(scheme.node) || !("x-header-schema" in scheme.node)) continue;
          const target = scheme.node["x-header-schema"];
          const at = scheme.location.child(["x-header-schema"]);
          const reference = isObject(target) ? target.$ref : target;
          if (typeof reference !== "string") {
            ctx.report({ message: `Security scheme ${schemeName}: x-header-schema must be a $ref to components.schemas.`, location: at });
            continue;
          }
          const name = SCHEMA_POINTER.exec(reference)?.[1] ?? (reference.includes("/") ? undefined : reference);
          const schemaName = name === undefined ? undefined : name.replaceAll("~1", "/").replaceAll("~0", "~");
          if (schemaName === undefined || !Object.hasOwn(schemas, schemaName)) {
            ctx.report({
              message: `Security scheme ${schemeName}: x-header-schema ${JSON.stringify(reference)} does not point at an entry of components.schemas.`,
              location: at,
            });
          }
        }
      },
    },
  };
}
