// interact(): one control per argument and an Output widget showing the function's result, re-run on every change.
// Runs are debounced, and a change aborts the run it made stale (its `signal` fires and its output is dropped), so
// dragging a slider across its range never queues hundreds of trainings.
import { DISPLAY, displayHook, type MimeBundle } from "../display/mime.js";
import { ValueError } from "../tensor/errors.js";
import { Checkbox, Dropdown, FloatLogSlider, FloatSlider, IntSlider, VBox, type ValueWidget } from "./controls.js";
import { Output, OutputBuffer, runCaptured, type RunOutcome } from "./output.js";

/** Marks an object the kernel has shown already: a cell ending with it does not show it again as its result. */
const SHOWN = Symbol.for("gradlab.shown");

export type Controls = Record<string, ValueWidget<unknown>>;
export type ValuesOf<C extends Controls> = { [K in keyof C]: C[K] extends ValueWidget<infer T> ? T : never };

export interface InteractOptions {
  /** Quiet time after the last change before the function runs again (default 150 ms). */
  debounceMs?: number;
}

/** What a run needs of its AbortSignal (declared here: the library's types need neither DOM nor Node typings). */
export interface StaleSignal {
  readonly aborted: boolean;
}

export interface RunContext {
  /** Aborted when a newer value makes this run stale: a long loop should check it and stop. */
  signal: StaleSignal;
}

export interface Interactive<C extends Controls> {
  readonly controls: C;
  readonly output: Output;
  readonly box: VBox;
  /** The controls' current values. */
  values(): ValuesOf<C>;
  /** Runs the function now with the current values; resolves when that run has shown its output. */
  rerun(): Promise<void>;
  /** How many runs started, and how many finished and were shown (the rest were made stale). */
  readonly runs: { started: number; shown: number };
}

function bundleOf(value: unknown): MimeBundle {
  const show = (value as Record<symbol, unknown> | null)?.[DISPLAY];
  if (typeof show === "function") return show.call(value) as MimeBundle;
  return { "text/plain": typeof value === "string" ? value : JSON.stringify(value) ?? String(value) };
}

export function interact<C extends Controls>(fn: (values: ValuesOf<C>, context: RunContext) => unknown, controls: C, options: InteractOptions = {}): Interactive<C> {
  if (typeof fn !== "function") throw new TypeError("interact: the first argument must be a function");
  const debounceMs = options.debounceMs ?? 150;
  if (!(debounceMs >= 0)) throw new ValueError(`interact: debounceMs must be >= 0, got ${debounceMs}`);
  for (const [name, control] of Object.entries(controls)) {
    if (control.get("description") === "") control.set({ description: name });
  }
  const output = new Output();
  const box = new VBox([...Object.values(controls), output]);
  const runs = { started: 0, shown: 0 };
  let current: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let waiters: (() => void)[] = [];

  const values = () => Object.fromEntries(Object.entries(controls).map(([k, c]) => [k, c.value])) as ValuesOf<C>;

  const run = (): void => {
    current?.abort();
    const controller = new AbortController();
    current = controller;
    runs.started++;
    const buffer = new OutputBuffer();
    const finished = (outcome: RunOutcome) => {
      if (controller.signal.aborted) return; // a newer run owns the output now
      if ("error" in outcome) buffer.error(outcome.error);
      else if (outcome.value !== undefined) buffer.display(bundleOf(outcome.value), {});
      current = undefined;
      runs.shown++;
      output.setOutputs(buffer.records);
      const done = waiters;
      waiters = [];
      for (const w of done) w();
    };
    try {
      const result = runCaptured(buffer, () => fn(values(), { signal: controller.signal }), finished);
      // The error is shown in the Output widget; nobody else awaits this run.
      if (result instanceof Promise) result.catch(() => undefined);
    } catch {
      // shown in the Output widget by `finished`
    }
  };

  const changed = () => {
    current?.abort(); // stale from this moment, not only when the next run starts
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      run();
    }, debounceMs);
  };
  for (const control of Object.values(controls)) control.observe(changed, control instanceof Dropdown ? "index" : "value");

  run();
  const ui: Interactive<C> & Record<symbol, unknown> = {
    controls, output, box, runs, values,
    rerun: () => new Promise<void>((resolve) => {
      waiters.push(resolve);
      run();
    }),
    [DISPLAY]: () => box[DISPLAY](),
  };
  const hook = displayHook();
  if (hook) {
    hook.display(box[DISPLAY]());
    ui[SHOWN] = true;
  }
  return ui;
}

/** A slider over real numbers for interact: floatSlider(min, max, value?, step?). */
export function floatSlider(min: number, max: number, value?: number, step?: number): FloatSlider {
  return new FloatSlider({ min, max, value, step: step ?? (max - min) / 100 });
}

/** A slider over [min, max] moving in equal factors (learning rates): logSlider(1e-4, 1, 1e-2). */
export function logSlider(min: number, max: number, value?: number): FloatLogSlider {
  return new FloatLogSlider({ min, max, value });
}

/** A slider over whole numbers: intSlider(min, max, value?, step?). */
export function intSlider(min: number, max: number, value?: number, step = 1): IntSlider {
  return new IntSlider({ min, max, value, step });
}

export function dropdown<T>(options: readonly (T | readonly [string, T])[], value?: T): Dropdown<T> {
  return new Dropdown<T>({ options, value });
}

export function checkbox(value = false): Checkbox {
  return new Checkbox({ value });
}
