// What the runner needs from a kernel: the narrow seam between `gradlab run` and the Jupyter client in cli/client.
export type IopubHandler = (msgType: string, content: Record<string, unknown>) => void;

export interface ExecuteReplyContent {
  status: "ok" | "error" | "aborted";
  execution_count?: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface RunnerKernel {
  /** language_info from kernel_info_reply, copied into the executed notebook's metadata. */
  languageInfo(): Record<string, unknown> | undefined;
  /** Sends execute_request and resolves with the reply once the kernel is idle again (all iopub delivered). */
  execute(code: string, onIopub: IopubHandler): Promise<ExecuteReplyContent>;
  /** interrupt_request (or SIGINT, per the kernelspec's interrupt_mode). */
  interrupt(): Promise<void>;
  /** Kills the process without asking: used when a cell ignores the interrupt. */
  kill(): void;
  shutdown(): Promise<void>;
}

/** Starts a fresh kernel whose working directory is the notebook's folder (relative paths and npm packages resolve there). */
export type KernelFactory = (notebookDir: string) => Promise<RunnerKernel>;
