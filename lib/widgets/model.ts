// The kernel side of a Jupyter widget (widget messaging protocol 2.1): a model whose state lives in the kernel and in
// every frontend, kept in sync over a "jupyter.widget" comm. Frontend updates are validated, applied, observed and
// echoed back (echo_update); kernel updates send only the keys that changed.
import { comm as comms, type Comm } from "../comm/comm.js";
import { DISPLAY, type MimeBundle } from "../display/mime.js";

export type WidgetState = Record<string, unknown>;

export const WIDGET_TARGET = "jupyter.widget";
export const WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json";
/** The protocol version the frontends' widget managers (@jupyter-widgets/jupyterlab-manager 5, html-manager 1) speak. */
export const PROTOCOL_VERSION = "2.1.0";

/** The model/view classes a frontend instantiates, as @jupyter-widgets/base and /controls 2.0.0 name them. */
export interface ModelSpec {
  model: string;
  view: string | null;
  module?: string;
  viewModule?: string;
  version?: string;
}

export interface Change<T = unknown> {
  name: string;
  old: T;
  new: T;
  owner: WidgetModel;
}

export const reference = (model: WidgetModel): string => `IPY_MODEL_${model.modelId}`;

export class WidgetModel {
  readonly comm: Comm;
  protected readonly state: WidgetState;
  private readonly observers = new Set<{ names: Set<string> | null; handler: (change: Change) => void }>();
  private readonly customHandlers = new Set<(content: Record<string, unknown>) => void>();

  constructor(spec: ModelSpec, state: WidgetState) {
    const module = spec.module ?? "@jupyter-widgets/controls";
    const version = spec.version ?? "2.0.0";
    this.state = {
      _model_module: module,
      _model_module_version: version,
      _model_name: spec.model,
      _view_module: spec.viewModule ?? module,
      _view_module_version: version,
      _view_name: spec.view,
      ...state,
    };
    this.comm = comms.open(WIDGET_TARGET, { state: this.state, buffer_paths: [] }, { version: PROTOCOL_VERSION });
    this.comm.onMessage((message) => this.receive(message.data));
  }

  get modelId(): string {
    return this.comm.id;
  }

  /** The current value of a state key. */
  get(name: string): unknown {
    return this.state[name];
  }

  /** Sets state from the kernel: checked like a frontend change, sent to every frontend, observed. */
  set(changes: WidgetState): void {
    const applied = this.apply(this.accept(changes));
    if (applied.length === 0) return;
    this.comm.send({ method: "update", state: Object.fromEntries(applied.map((c) => [c.name, c.new])), buffer_paths: [] });
    this.notify(applied);
  }

  /**
   * Calls `handler` after each change of the named keys (all keys when none are named), from the kernel or from a
   * frontend; returns a function that stops it.
   */
  observe(handler: (change: Change) => void, names?: string | string[]): () => void {
    const entry = { names: names === undefined ? null : new Set(typeof names === "string" ? [names] : names), handler };
    this.observers.add(entry);
    return () => this.observers.delete(entry);
  }

  /** Custom messages from the view (a button's click). */
  onCustom(handler: (content: Record<string, unknown>) => void): () => void {
    this.customHandlers.add(handler);
    return () => this.customHandlers.delete(handler);
  }

  protected dispatchCustom(content: Record<string, unknown>): void {
    for (const handler of [...this.customHandlers]) handler(content);
  }

  /** Closes the comm: frontends drop their views. */
  close(): void {
    this.comm.close();
  }

  [DISPLAY](): MimeBundle {
    return {
      "text/plain": this.toString(),
      [WIDGET_VIEW_MIME]: { version_major: 2, version_minor: 1, model_id: this.modelId },
    };
  }

  toString(): string {
    const shown = Object.entries(this.state).filter(([k, v]) => !k.startsWith("_") && k !== "layout" && k !== "style" && v !== null && v !== "");
    return `${String(this.state._model_name).replace(/Model$/, "")}(${shown.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ")})`;
  }

  /**
   * Checks and normalises incoming values (clamping a slider's value, say). Throws for a value that cannot be
   * accepted; the message names the widget and the key.
   */
  protected accept(changes: WidgetState): WidgetState {
    return changes;
  }

  /** Stores what differs from the current state; returns the changes with their previous values. */
  private apply(changes: WidgetState): Change[] {
    const applied: Change[] = [];
    for (const [name, value] of Object.entries(changes)) {
      if (JSON.stringify(this.state[name]) === JSON.stringify(value)) continue;
      applied.push({ name, old: this.state[name], new: value, owner: this });
      this.state[name] = value;
    }
    return applied;
  }

  private notify(applied: Change[]): void {
    for (const change of applied) {
      for (const { names, handler } of [...this.observers]) {
        if (!names || names.has(change.name)) handler(change);
      }
    }
  }

  private receive(data: Record<string, unknown>): void {
    switch (data.method) {
      case "update": {
        const incoming = (data.state as WidgetState | undefined) ?? {};
        let accepted: WidgetState;
        try {
          accepted = this.accept(incoming);
        } catch (error) {
          // The frontend's view shows the rejected value: put it back to the kernel's.
          this.comm.send({ method: "update", state: pick(this.state, Object.keys(incoming)), buffer_paths: [] });
          throw error;
        }
        const applied = this.apply(accepted);
        // Every frontend learns the accepted value; the sender stops ignoring kernel echoes for these keys.
        this.comm.send({ method: "echo_update", state: accepted, buffer_paths: [] });
        const corrected = Object.keys(accepted).filter((k) => JSON.stringify(accepted[k]) !== JSON.stringify(incoming[k]));
        if (corrected.length > 0) this.comm.send({ method: "update", state: pick(accepted, corrected), buffer_paths: [] });
        this.notify(applied);
        return;
      }
      case "request_state":
        this.comm.send({ method: "update", state: this.state, buffer_paths: [] });
        return;
      case "custom":
        this.dispatchCustom((data.content as Record<string, unknown> | undefined) ?? {});
        return;
      default:
        return;
    }
  }
}

function pick(state: WidgetState, keys: string[]): WidgetState {
  return Object.fromEntries(keys.filter((k) => k in state).map((k) => [k, state[k]]));
}
