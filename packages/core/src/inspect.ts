/** The symbol node:util's inspect (and Bun's console) call for a custom rendering. */
export const nodeInspect: unique symbol = Symbol.for("nodejs.util.inspect.custom");
/** The symbol Deno's inspect calls for a custom rendering. */
export const denoInspect: unique symbol = Symbol.for("Deno.customInspect");
