// link(): keeps two widgets' values equal, in the kernel, whichever side changes (a slider and a text box showing it).
import type { WidgetModel } from "./model.js";

export type LinkEnd = readonly [WidgetModel, string];

/** Keeps source[key] and target[key] equal from now on (target takes source's value first); returns an unlink. */
export function link(source: LinkEnd, target: LinkEnd): () => void {
  const [a, aKey] = source;
  const [b, bKey] = target;
  let updating = false;
  const copy = (from: WidgetModel, fromKey: string, to: WidgetModel, toKey: string) => () => {
    if (updating) return;
    updating = true;
    try {
      to.set({ [toKey]: from.get(fromKey) });
    } finally {
      updating = false;
    }
  };
  copy(a, aKey, b, bKey)();
  const stopA = a.observe(copy(a, aKey, b, bKey), aKey);
  const stopB = b.observe(copy(b, bKey, a, aKey), bKey);
  return () => {
    stopA();
    stopB();
  };
}
