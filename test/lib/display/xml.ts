// Test helper: a strict little XML parser (enough for our SVG/HTML snippets) so tests can assert well-formedness
// and query elements without a DOM.
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const TOKEN = /<!--[\s\S]*?-->|<\/([\w:-]+)\s*>|<([\w:-]+)((?:\s+[\w:-]+\s*=\s*(?:'[^']*'|"[^"]*"))*)\s*(\/?)>|([^<]+)|(<)/g;
const ATTR = /([\w:-]+)\s*=\s*(?:'([^']*)'|"([^"]*)")/g;

/** Parses one XML document (single root element); throws on unbalanced or malformed tags. */
export function parseXml(text: string): XmlElement {
  const root: XmlElement = { name: "#root", attrs: {}, children: [], text: "" };
  const stack = [root];
  for (const m of text.matchAll(TOKEN)) {
    const top = stack[stack.length - 1]!;
    if (m[6]) throw new Error(`malformed tag at offset ${m.index}: ${text.slice(m.index, m.index + 40)}`);
    if (m[1]) {
      if (top.name !== m[1]) throw new Error(`</${m[1]}> closes <${top.name}> at offset ${m.index}`);
      stack.pop();
    } else if (m[2]) {
      const attrs: Record<string, string> = {};
      for (const a of (m[3] ?? "").matchAll(ATTR)) {
        if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]} on <${m[2]}>`);
        attrs[a[1]!] = a[2] ?? a[3] ?? "";
      }
      const el: XmlElement = { name: m[2], attrs, children: [], text: "" };
      top.children.push(el);
      if (!m[4]) stack.push(el);
    } else if (m[5] && !m[0].startsWith("<!--")) {
      if (/&(?!amp;|lt;|gt;|quot;|#39;|#\d+;)/.test(m[5])) throw new Error(`bare & in text: ${m[5].slice(0, 40)}`);
      top.text += m[5];
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  const elements = root.children;
  if (elements.length !== 1) throw new Error(`expected one root element, got ${elements.length}`);
  return elements[0]!;
}

/** All descendants (depth first) matching a predicate. */
export function findAll(el: XmlElement, pred: (e: XmlElement) => boolean): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    if (pred(e)) out.push(e);
    e.children.forEach(walk);
  };
  walk(el);
  return out;
}

export const byClass = (cls: string) => (e: XmlElement): boolean => (e.attrs.class ?? "").split(/\s+/).includes(cls);
