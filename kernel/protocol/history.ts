// Input history for history_request: cells run with store_history, queried by tail, range or glob search.
export interface HistoryEntry {
  session: number;
  line: number;
  input: string;
  output: string | null;
}

export type HistoryTuple = [number, number, string | [string, string | null]];

/** This kernel process's session number; sessions <= 0 in a request are relative to it (0 = this one). */
export const CURRENT_SESSION = 1;

export class History {
  private readonly entries: HistoryEntry[] = [];

  record(line: number, input: string, output: string | null): void {
    this.entries.push({ session: CURRENT_SESSION, line, input, output });
  }

  query(request: Record<string, unknown>): HistoryTuple[] {
    const withOutput = request.output === true;
    return this.select(request).map((entry) => [
      entry.session,
      entry.line,
      withOutput ? [entry.input, entry.output] : entry.input,
    ]);
  }

  private select(request: Record<string, unknown>): HistoryEntry[] {
    const n = typeof request.n === "number" && request.n >= 0 ? request.n : undefined;
    switch (request.hist_access_type) {
      case "tail":
        return n === undefined ? [...this.entries] : lastN(this.entries, n);
      case "range": {
        const session = typeof request.session === "number" ? request.session : 0;
        if (session !== CURRENT_SESSION && session > 0) return [];
        if (session < 0) return [];
        const start = typeof request.start === "number" ? request.start : 0;
        const stop = typeof request.stop === "number" ? request.stop : Infinity;
        return this.entries.filter((entry) => entry.line >= start && entry.line < stop);
      }
      case "search": {
        const pattern = globToRegExp(typeof request.pattern === "string" ? request.pattern : "*");
        let found = this.entries.filter((entry) => pattern.test(entry.input));
        if (request.unique === true) found = lastOccurrences(found);
        return n === undefined ? found : lastN(found, n);
      }
      default:
        return [];
    }
  }
}

function lastN<T>(items: T[], n: number): T[] {
  return n === 0 ? [] : items.slice(-n);
}

function lastOccurrences(entries: HistoryEntry[]): HistoryEntry[] {
  const latest = new Map<string, HistoryEntry>();
  for (const entry of entries) {
    latest.delete(entry.input);
    latest.set(entry.input, entry);
  }
  return [...latest.values()];
}

/** The shell glob IPython's history search uses: `*`, `?`, `[...]`, matched against the whole input. */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === "*") source += "[\\s\\S]*";
    else if (char === "?") source += "[\\s\\S]";
    else if (char === "[" && glob.indexOf("]", i + 1) > i + 1) {
      const end = glob.indexOf("]", i + 1);
      const body = glob.slice(i + 1, end).replace(/\\/g, "\\\\");
      source += body.startsWith("!") ? `[^${body.slice(1)}]` : `[${body}]`;
      i = end;
    } else source += char.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}
