// The engine: a Web Worker that holds the query engine and answers the
// query tab's calls (parse, validate, explain, copy forms, run), so that
// typing never waits for them on the page's thread. It starts on the
// module the page compiled: the .wasm is fetched and compiled once.
import init, * as kit from "octane-kit";
import type { Dataset, Diagnostic, Schema } from "octane-kit";
import { copyForms } from "../forms";
import { attempt } from "../outcome";
import type { AnswerMessage, CallMessage, CallName, EngineCalls, QueryReport, QueryRequest, RunReport } from "./protocol";

/** The worker's scope, as far as the engine uses it. */
interface Scope {
  onmessage: ((event: MessageEvent<CallMessage>) => void) | null;
  postMessage(message: AnswerMessage): void;
}
const scope = globalThis as unknown as Scope;

/** What the engine holds between calls. */
const held: { schema: Schema | undefined; sample: Dataset | null; pasted: Dataset | null } = {
  schema: undefined,
  sample: null,
  pasted: null,
};

type Handlers = { [N in CallName]: (input: EngineCalls[N]["input"]) => EngineCalls[N]["output"] | Promise<EngineCalls[N]["output"]> };

const handlers: Handlers = {
  async start({ module }) {
    await init({ module_or_path: module });
    return null;
  },
  query: report,
  complete: ({ source, offset, entity }) => kit.completeQuery(source, offset, schemaOptions(entity)),
  schema(input) {
    const schema = input
      ? input.entities.trim()
        ? kit.Schema.fromMetadata(input.fields, input.entities)
        : (kit.Schema.fromMetadata as (fields: string) => Schema)(input.fields)
      : undefined;
    held.schema?.free();
    held.schema = schema;
    return null;
  },
  pasted({ text }) {
    const dataset = kit.Dataset.fromJson(text, held.schema ? { schema: held.schema } : undefined);
    held.pasted?.free();
    held.pasted = dataset;
    return dataset.collections();
  },
};

function schemaOptions(entity: string): { entity: string; schema?: Schema } {
  return held.schema ? { entity, schema: held.schema } : { entity };
}

/** Everything the query tab shows for `request`. */
function report(request: QueryRequest): QueryReport {
  const started = performance.now();
  const { source } = request;
  const parsed = kit.parseQuery(source);
  let diagnostics: Diagnostic[];
  let schemaError: string | null = null;
  try {
    diagnostics = kit.validateQuery(source, schemaOptions(request.entity));
  } catch (error) {
    // An entity the schema does not know: the parse diagnostics still show.
    diagnostics = parsed.diagnostics;
    schemaError = (error as Error).message;
  }
  const explanation = parsed.ast ? kit.explainQuery(source) : null;
  const copy = copyForms(kit, {
    source,
    collection: request.entity,
    server: request.server,
    sharedSpace: request.sharedSpace,
    workspace: request.workspace,
    orderBy: request.orderBy,
    limit: request.limit,
    offset: request.offset,
    fields: request.fields,
    canonical: explanation?.canonical ?? null,
  });
  return { parsed, diagnostics, schemaError, explanation, copy, run: run(request), took: performance.now() - started };
}

/** The query on the chosen collections (the sample is made on first use). */
function run(request: QueryRequest): RunReport {
  if (request.data === "sample") held.sample ??= kit.Dataset.sample();
  const dataset = request.data === "sample" ? held.sample : held.pasted;
  if (!dataset) return { state: "none" };
  const started = performance.now();
  const outcome = attempt(() =>
    dataset.query(request.entity, request.source, {
      orderBy: request.orderBy || undefined,
      limit: request.limit ?? 25,
      offset: request.offset,
      fields: request.fields.length ? request.fields : undefined,
      currentUser: request.currentUser || undefined,
    }),
  );
  if (!outcome.ok) {
    const first = outcome.diagnostics.find((d) => d.severity === "error");
    return { state: "refused", message: first ? first.message : outcome.message };
  }
  return { state: "ok", result: outcome.value, took: performance.now() - started };
}

// One call at a time, in the order sent: a call waits for the start.
let queue: Promise<unknown> = Promise.resolve();
scope.onmessage = (event) => {
  const { id, name, input } = event.data;
  const handler = handlers[name] as (input: unknown) => unknown;
  queue = queue
    .then(() => handler(input))
    .then(
      (output) => scope.postMessage({ id, ok: true, output }),
      (error: unknown) => {
        const diagnostics = (error as { diagnostics?: Diagnostic[] }).diagnostics ?? [];
        scope.postMessage({ id, ok: false, message: (error as Error).message ?? String(error), diagnostics });
      },
    );
};
