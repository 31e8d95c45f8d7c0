// Public surface of the training loop (re-exported by lib/index.ts).
export { fit, NonFiniteError, type FitOptions, type FitHistory, type FitStep } from "./fit.js";
