// Jupyter widgets from TypeScript: controls, Output, link and interact (the kernel side of the widget protocol 2.1).
export { WidgetModel, WIDGET_VIEW_MIME } from "./model.js";
export type { Change, WidgetState } from "./model.js";
export { FloatSlider, FloatLogSlider, IntSlider, Dropdown, Checkbox, Text, Label, Play, Button, HBox, VBox, ValueWidget } from "./controls.js";
export type { ControlOptions, SliderOptions, LogSliderOptions, DropdownOptions } from "./controls.js";
export { Output } from "./output.js";
export type { OutputRecord } from "./output.js";
export { link } from "./link.js";
export { interact, floatSlider, logSlider, intSlider, dropdown, checkbox } from "./interact.js";
export type { Interactive, InteractOptions, RunContext, ValuesOf, Controls } from "./interact.js";
