/**
 * Reads a 2xx body the way `@geminidb-sessions/client` (openapi-fetch) does: an empty
 * body is accepted (as `{}`), anything else is parsed as JSON. The generated
 * `response.value()` would reject an empty body, which a gateway may send.
 */
export async function readSuccessBody(response: Response): Promise<object> {
  const text = await response.text();
  return text.trim() === "" ? {} : (JSON.parse(text) as object);
}
