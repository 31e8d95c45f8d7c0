// The engine's public entry: the kernel's composition root (kernel/main.ts) creates the interpreter from here.
export { createTypeScriptInterpreter, type TypeScriptInterpreterOptions } from "./ts_interpreter.js";
