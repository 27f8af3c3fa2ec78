// What the page and its engine (a Web Worker holding the query engine)
// say to each other. Every message is plain data, copied by postMessage.
import type { CollectionInfo, Completion, Diagnostic, Explanation, ParseResult, QueryResult } from "octane-kit";

/** The query tab's inputs: everything its panels depend on. */
export interface QueryRequest {
  source: string;
  /** The collection queried, such as `defects`. */
  entity: string;
  orderBy: string;
  limit: number | undefined;
  offset: number | undefined;
  fields: string[];
  currentUser: string;
  server: string;
  sharedSpace: string;
  workspace: string;
  /** Which collections the query runs on. */
  data: "sample" | "pasted";
}

/** One form of "copy as": its text, or the located reason it has none. */
export interface CopyForm {
  title: string;
  testid: string;
  text: string;
  ok: boolean;
}

/** The query run on the chosen collections. */
export type RunReport =
  | { state: "none" }
  | { state: "refused"; message: string }
  | { state: "ok"; result: QueryResult; took: number };

/** What the query tab shows for one request. */
export interface QueryReport {
  parsed: ParseResult;
  /** Parse and schema diagnostics together (the parse ones when the entity is unknown). */
  diagnostics: Diagnostic[];
  /** Why the schema could not check the query (an entity it does not know). */
  schemaError: string | null;
  explanation: Explanation | null;
  copy: CopyForm[];
  run: RunReport;
  /** The engine's time for the whole report, in milliseconds. */
  took: number;
}

/** The calls the engine answers, by name: what each takes and gives. */
export interface EngineCalls {
  /** Starts the engine on the page's compiled module. */
  start: { input: { module: WebAssembly.Module }; output: null };
  query: { input: QueryRequest; output: QueryReport };
  complete: { input: { source: string; offset: number; entity: string }; output: Completion[] };
  /** The user's metadata (`entities` may be empty), or `null` for the built-in schema. */
  schema: { input: { fields: string; entities: string } | null; output: null };
  /** Loads pasted collections (Octane REST responses by collection). */
  pasted: { input: { text: string }; output: CollectionInfo[] };
}

/** The name of a call. */
export type CallName = keyof EngineCalls;

/** A call sent to the engine. */
export interface CallMessage<N extends CallName = CallName> {
  id: number;
  name: N;
  input: EngineCalls[N]["input"];
}

/** The engine's answer: the output, or the error with its located diagnostics. */
export type AnswerMessage =
  | { id: number; ok: true; output: unknown }
  | { id: number; ok: false; message: string; diagnostics: Diagnostic[] };
