// The core controls (@jupyter-widgets/controls 2.0.0 models, as JupyterLab's widget manager renders them): sliders,
// dropdown, checkbox, button, text, play, label and boxes, each with a typed `value` and checks on what it accepts.
import { ValueError } from "../tensor/errors.js";
import { reference, WidgetModel, type Change, type WidgetState } from "./model.js";

const BASE = "@jupyter-widgets/base";

/** Layout and style are models of their own that a control's view reads; one each per control, as ipywidgets does. */
function layoutModel(): WidgetModel {
  return new WidgetModel({ model: "LayoutModel", view: "LayoutView", module: BASE }, {});
}

function styleModel(model: string): WidgetModel {
  return new WidgetModel({ model, view: "StyleView", viewModule: BASE }, { description_width: "" });
}

export interface ControlOptions {
  description?: string;
  disabled?: boolean;
  tooltip?: string;
}

function finite(widget: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new ValueError(`${widget}: ${name} must be a finite number, got ${String(value)}`);
  }
  return value;
}

/** A control with a `value` of type T, the observers the kernel side offers, and one layout and style model. */
export abstract class ValueWidget<T> extends WidgetModel {
  constructor(model: string, view: string, style: string | null, state: WidgetState, options: ControlOptions = {}) {
    super({ model, view }, {
      _dom_classes: [],
      layout: reference(layoutModel()),
      ...(style ? { style: reference(styleModel(style)) } : {}),
      description: options.description ?? "",
      disabled: options.disabled ?? false,
      tooltip: options.tooltip ?? null,
      ...state,
    });
  }

  get value(): T {
    return this.get("value") as T;
  }

  set value(value: T) {
    this.set({ value });
  }

  /** Calls `handler` with each new value (from the kernel or a frontend); returns a function that stops it. */
  onChange(handler: (value: T, change: Change<T>) => void): () => void {
    return this.observe((change) => handler(change.new as T, change as Change<T>), "value");
  }
}

export interface SliderOptions extends ControlOptions {
  min?: number;
  max?: number;
  step?: number;
  value?: number;
  /** Send values while dragging (default true), or only on release. */
  continuousUpdate?: boolean;
  readoutFormat?: string;
  orientation?: "horizontal" | "vertical";
}

abstract class NumberSlider extends ValueWidget<number> {
  constructor(model: string, view: string, defaults: { min: number; max: number; step: number; format: string }, options: SliderOptions, integer: boolean) {
    const name = model.replace(/Model$/, "");
    const min = finite(name, "min", options.min ?? defaults.min);
    const max = finite(name, "max", options.max ?? defaults.max);
    const step = finite(name, "step", options.step ?? defaults.step);
    if (min > max) throw new ValueError(`${name}: min (${min}) is greater than max (${max})`);
    if (step <= 0) throw new ValueError(`${name}: step must be positive, got ${step}`);
    if (integer && ![min, max, step].every(Number.isInteger)) throw new ValueError(`${name}: min, max and step must be integers`);
    const value = Math.min(max, Math.max(min, finite(name, "value", options.value ?? min)));
    super(model, view, "SliderStyleModel", {
      min, max, step, value,
      behavior: "drag-tap",
      continuous_update: options.continuousUpdate ?? true,
      orientation: options.orientation ?? "horizontal",
      readout: true,
      readout_format: options.readoutFormat ?? defaults.format,
    }, options);
  }

  protected override accept(changes: WidgetState): WidgetState {
    const out = { ...changes };
    const name = String(this.get("_model_name")).replace(/Model$/, "");
    for (const key of ["min", "max", "step", "value"]) if (key in out) out[key] = finite(name, key, out[key]);
    const min = (out.min ?? this.get("min")) as number;
    const max = (out.max ?? this.get("max")) as number;
    if (min > max) throw new ValueError(`${name}: min (${min}) is greater than max (${max})`);
    if ("value" in out) out.value = Math.min(max, Math.max(min, out.value as number));
    return out;
  }
}

/** A slider over real numbers. */
export class FloatSlider extends NumberSlider {
  constructor(options: SliderOptions = {}) {
    super("FloatSliderModel", "FloatSliderView", { min: 0, max: 100, step: 0.1, format: ".2f" }, options, false);
  }
}

/** A slider over whole numbers. */
export class IntSlider extends NumberSlider {
  constructor(options: SliderOptions = {}) {
    super("IntSliderModel", "IntSliderView", { min: 0, max: 100, step: 1, format: "d" }, options, true);
  }

  protected override accept(changes: WidgetState): WidgetState {
    const out = super.accept(changes);
    if ("value" in out) out.value = Math.round(out.value as number);
    return out;
  }
}

export interface LogSliderOptions extends ControlOptions {
  /** Bounds of the value itself (not of its exponent): FloatLogSlider({ min: 1e-4, max: 1 }). */
  min?: number;
  max?: number;
  value?: number;
  base?: number;
  /** Step of the exponent. */
  step?: number;
  continuousUpdate?: boolean;
  readoutFormat?: string;
}

/** A slider whose position is the exponent: equal moves multiply the value by equal factors (learning rates). */
export class FloatLogSlider extends ValueWidget<number> {
  constructor(options: LogSliderOptions = {}) {
    const base = finite("FloatLogSlider", "base", options.base ?? 10);
    if (base <= 1) throw new ValueError(`FloatLogSlider: base must be greater than 1, got ${base}`);
    const bound = (name: string, v: number) => {
      if (!(finite("FloatLogSlider", name, v) > 0)) throw new ValueError(`FloatLogSlider: ${name} must be positive, got ${v}`);
      // Rounded so that 1e-4 is exponent -4, not -3.9999999999999996, on the frontend's slider scale.
      return Math.round((Math.log(v) / Math.log(base)) * 1e12) / 1e12;
    };
    const min = bound("min", options.min ?? 1);
    const max = bound("max", options.max ?? 10_000);
    if (min > max) throw new ValueError(`FloatLogSlider: min (${options.min}) is greater than max (${options.max})`);
    const value = options.value ?? base ** min;
    bound("value", value);
    super("FloatLogSliderModel", "FloatLogSliderView", "SliderStyleModel", {
      min, max, base, value: Math.min(base ** max, Math.max(base ** min, value)),
      step: finite("FloatLogSlider", "step", options.step ?? 0.1),
      behavior: "drag-tap",
      continuous_update: options.continuousUpdate ?? true,
      orientation: "horizontal",
      readout: true,
      readout_format: options.readoutFormat ?? ".3g",
    }, options);
  }

  protected override accept(changes: WidgetState): WidgetState {
    const out = { ...changes };
    if ("value" in out) {
      const base = this.get("base") as number;
      const v = finite("FloatLogSlider", "value", out.value);
      out.value = Math.min(base ** (this.get("max") as number), Math.max(base ** (this.get("min") as number), v));
    }
    return out;
  }
}

export interface DropdownOptions<T> extends ControlOptions {
  /** The choices: values, or [label, value] pairs. */
  options: readonly (T | readonly [string, T])[];
  value?: T;
}

/** One choice from a list; the frontend sees the labels and the selected index. */
export class Dropdown<T = string> extends ValueWidget<T> {
  private readonly values: T[];

  constructor(options: DropdownOptions<T>) {
    const pairs = options.options.map((o) => (Array.isArray(o) && o.length === 2 && typeof o[0] === "string" ? (o as readonly [string, T]) : ([String(o), o as T] as const)));
    if (pairs.length === 0) throw new ValueError("Dropdown: options must not be empty");
    const values = pairs.map((p) => p[1]);
    const index = options.value === undefined ? 0 : values.indexOf(options.value);
    if (index < 0) throw new ValueError(`Dropdown: value ${JSON.stringify(options.value)} is not one of the options`);
    super("DropdownModel", "DropdownView", "DescriptionStyleModel", { _options_labels: pairs.map((p) => p[0]), index }, options);
    this.values = values;
  }

  override get value(): T {
    return this.values[this.get("index") as number]!;
  }

  override set value(value: T) {
    const index = this.values.indexOf(value);
    if (index < 0) throw new ValueError(`Dropdown: value ${JSON.stringify(value)} is not one of the options`);
    this.set({ index });
  }

  override onChange(handler: (value: T, change: Change<T>) => void): () => void {
    return this.observe((change) => handler(this.values[change.new as number]!, { ...change, old: this.values[change.old as number]!, new: this.values[change.new as number]! }), "index");
  }

  protected override accept(changes: WidgetState): WidgetState {
    if ("index" in changes) {
      const index = changes.index;
      if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= this.values.length) {
        throw new ValueError(`Dropdown: index ${String(index)} is out of range 0..${this.values.length - 1}`);
      }
    }
    return changes;
  }
}

/** A true/false box. */
export class Checkbox extends ValueWidget<boolean> {
  constructor(options: ControlOptions & { value?: boolean; indent?: boolean } = {}) {
    super("CheckboxModel", "CheckboxView", "CheckboxStyleModel", { value: options.value ?? false, indent: options.indent ?? true }, options);
  }

  protected override accept(changes: WidgetState): WidgetState {
    if ("value" in changes && typeof changes.value !== "boolean") throw new ValueError(`Checkbox: value must be true or false, got ${String(changes.value)}`);
    return changes;
  }
}

/** A line of text input. */
export class Text extends ValueWidget<string> {
  constructor(options: ControlOptions & { value?: string; placeholder?: string; continuousUpdate?: boolean } = {}) {
    super("TextModel", "TextView", "TextStyleModel", {
      value: options.value ?? "", placeholder: options.placeholder ?? "\u200b", continuous_update: options.continuousUpdate ?? true,
    }, options);
  }
}

/** Read-only text (shown as is, never as HTML). */
export class Label extends ValueWidget<string> {
  constructor(value = "", options: ControlOptions = {}) {
    super("LabelModel", "LabelView", "LabelStyleModel", { value, placeholder: "\u200b" }, options);
  }
}

/** A step counter the frontend advances on a timer (play/pause/repeat), for animations driven from the kernel. */
export class Play extends ValueWidget<number> {
  constructor(options: ControlOptions & { min?: number; max?: number; step?: number; value?: number; intervalMs?: number; repeat?: boolean } = {}) {
    const min = finite("Play", "min", options.min ?? 0);
    const max = finite("Play", "max", options.max ?? 100);
    if (min > max) throw new ValueError(`Play: min (${min}) is greater than max (${max})`);
    super("PlayModel", "PlayView", "DescriptionStyleModel", {
      min, max, step: options.step ?? 1, value: options.value ?? min, interval: options.intervalMs ?? 100,
      playing: false, repeat: options.repeat ?? false, show_repeat: true,
    }, options);
  }
}

/** A button; `onClick` runs in the kernel each time it is pressed. */
export class Button extends WidgetModel {
  constructor(options: ControlOptions & { buttonStyle?: "" | "primary" | "success" | "info" | "warning" | "danger"; icon?: string } = {}) {
    super({ model: "ButtonModel", view: "ButtonView" }, {
      _dom_classes: [],
      layout: reference(layoutModel()),
      style: reference(styleModel("ButtonStyleModel")),
      description: options.description ?? "",
      disabled: options.disabled ?? false,
      tooltip: options.tooltip ?? null,
      button_style: options.buttonStyle ?? "",
      icon: options.icon ?? "",
    });
  }

  onClick(handler: () => void): () => void {
    return this.onCustom((content) => {
      if (content.event === "click") handler();
    });
  }

  /** Runs the click handlers as a press in a frontend would. */
  click(): void {
    this.dispatchCustom({ event: "click" });
  }
}

/** Children laid out in a row (HBox) or a column (VBox). */
export class Box extends WidgetModel {
  constructor(model: "HBoxModel" | "VBoxModel", children: readonly WidgetModel[]) {
    super({ model, view: model.replace("Model", "View") }, {
      _dom_classes: [],
      layout: reference(layoutModel()),
      box_style: "",
      children: children.map(reference),
    });
  }
}

export class HBox extends Box {
  constructor(children: readonly WidgetModel[]) {
    super("HBoxModel", children);
  }
}

export class VBox extends Box {
  constructor(children: readonly WidgetModel[]) {
    super("VBoxModel", children);
  }
}
