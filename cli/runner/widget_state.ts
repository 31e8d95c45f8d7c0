// The widget state a run leaves behind: every "jupyter.widget" comm's model as its last update left it, written into
// the notebook's metadata the way JupyterLab's "Save Widget State" does, so reports and viewers show the widgets at
// their final values without a kernel.
import type { INotebookContent } from "@jupyterlab/nbformat";

export const WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json";
export const WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json";

interface ModelRecord {
  model_name: string;
  model_module: string;
  model_module_version: string;
  state: Record<string, unknown>;
}

export interface WidgetStateDocument {
  version_major: 2;
  version_minor: 0;
  state: Record<string, ModelRecord>;
}

export class WidgetStateRecorder {
  private readonly models = new Map<string, Record<string, unknown>>();

  /** Sees every iopub message of the run (comm_open / comm_msg / comm_close from the kernel). */
  handle(msgType: string, content: Record<string, unknown>): void {
    const id = typeof content.comm_id === "string" ? content.comm_id : undefined;
    if (!id) return;
    const data = (content.data ?? {}) as { state?: Record<string, unknown>; method?: string };
    if (msgType === "comm_open" && content.target_name === "jupyter.widget" && data.state) {
      this.models.set(id, { ...data.state });
    } else if (msgType === "comm_msg" && (data.method === "update" || data.method === "echo_update") && data.state) {
      const model = this.models.get(id);
      if (model) Object.assign(model, data.state);
    } else if (msgType === "comm_close") {
      this.models.delete(id);
    }
  }

  document(): WidgetStateDocument | undefined {
    if (this.models.size === 0) return undefined;
    const state: Record<string, ModelRecord> = {};
    for (const [id, model] of this.models) {
      state[id] = {
        model_name: String(model._model_name),
        model_module: String(model._model_module),
        model_module_version: String(model._model_module_version),
        state: model,
      };
    }
    return { version_major: 2, version_minor: 0, state };
  }

  /** Stores the state in `nb.metadata.widgets` (or removes a stale one when the run made no widgets). */
  writeInto(nb: INotebookContent): void {
    const doc = this.document();
    const metadata = nb.metadata as Record<string, unknown>;
    if (doc) metadata.widgets = { [WIDGET_STATE_MIME]: doc };
    else delete metadata.widgets;
  }
}

/** The saved widget state of a notebook, if it has one. */
export function savedWidgetState(nb: INotebookContent): WidgetStateDocument | undefined {
  const widgets = (nb.metadata as Record<string, unknown>).widgets as Record<string, unknown> | undefined;
  return widgets?.[WIDGET_STATE_MIME] as WidgetStateDocument | undefined;
}
