// Public face of the Jupyter client: connect to a running kernel or launch one.
export { KernelClient, type ExecuteOptions, type ExecuteResult, type InputHandler, type ClientChannel } from "./client.js";
export { createConnectionInfo, writeConnectionFile } from "./connection_file.js";
export { KernelProcess, startKernel, gradlabKernelArgv, gradlabKernelEnv, type LaunchOptions } from "./launcher.js";
export { ofType, streamText } from "./outputs.js";
