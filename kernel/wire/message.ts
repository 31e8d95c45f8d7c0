// Jupyter wire message types (snake_case fields kept verbatim from the spec) and constructors for kernel-side messages.
import { randomUUID } from "node:crypto";

export const PROTOCOL_VERSION = "5.3";

export interface MessageHeader {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
  [extra: string]: unknown;
}

export interface JupyterMessage<C = Record<string, unknown>> {
  /** ZeroMQ routing identities that preceded the delimiter (ROUTER sockets); empty on iopub. */
  identities: Buffer[];
  header: MessageHeader;
  /** Empty object when the message has no parent. */
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

export function makeHeader(msgType: string, session: string, username = "kernel"): MessageHeader {
  return {
    msg_id: randomUUID(),
    msg_type: msgType,
    session,
    username,
    date: new Date().toISOString(),
    version: PROTOCOL_VERSION,
  };
}

/** A new message answering or caused by `parent`: same identities, parent_header = parent's header. */
export function childOf<C>(
  parent: Pick<JupyterMessage, "identities" | "header">,
  msgType: string,
  content: C,
  session: string,
  metadata: Record<string, unknown> = {},
): JupyterMessage<C> {
  return {
    identities: parent.identities,
    header: makeHeader(msgType, session),
    parent_header: parent.header,
    metadata,
    content,
    buffers: [],
  };
}
