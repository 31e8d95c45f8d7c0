// Small pure string builders for HTML and SVG text: escaping and data URIs.

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML/SVG element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/**
 * An SVG document as a `data:` URI for `<img src="...">`. Percent-encodes only what a data URI in a double-quoted
 * attribute needs, which keeps it much smaller than base64.
 */
export function svgDataUri(svg: string): string {
  const body = svg.replace(/[%#"<>\n\r\t]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"));
  return "data:image/svg+xml," + body;
}
