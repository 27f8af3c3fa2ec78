// The page's side of the engine: calls as promises, and the query tab's
// requests coalesced so that the engine never falls behind the typing.
import type { Diagnostic } from "octane-kit";
import type { AnswerMessage, CallMessage, CallName, EngineCalls, QueryReport, QueryRequest } from "./protocol";

/** An engine call that failed: its message and located diagnostics. */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[],
  ) {
    super(message);
  }
}

/** The engine in its worker. */
export class Engine {
  private next = 1;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  /** The query request sent and not yet answered, and the latest one waiting behind it. */
  private inFlight = false;
  private queued: {
    request: QueryRequest;
    show: (answer: QueryReport | EngineError, request: QueryRequest) => void;
    settled: () => void;
  } | null = null;

  private constructor(private readonly worker: Worker) {
    worker.onmessage = (event: MessageEvent<AnswerMessage>) => {
      const answer = event.data;
      const call = this.waiting.get(answer.id);
      if (!call) return;
      this.waiting.delete(answer.id);
      if (answer.ok) call.resolve(answer.output);
      else call.reject(new EngineError(answer.message, answer.diagnostics));
    };
  }

  /** Starts an engine on `module` (the package's compiled .wasm). */
  static async start(module: WebAssembly.Module): Promise<Engine> {
    const engine = new Engine(new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "octane-kit engine" }));
    await engine.call("start", { module });
    return engine;
  }

  /** Calls `name` in the worker. */
  call<N extends CallName>(name: N, input: EngineCalls[N]["input"]): Promise<EngineCalls[N]["output"]> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      const message: CallMessage<N> = { id, name, input };
      this.worker.postMessage(message);
    });
  }

  /**
   * Asks for the query tab's report on `request`; `show` gets it (or the
   * error that stopped it). While a request is answered, newer ones wait
   * and only the latest is sent: a burst of keys costs the engine two
   * reports, not one per key. `settled` is told once no request is left.
   */
  query(request: QueryRequest, show: (answer: QueryReport | EngineError, request: QueryRequest) => void, settled: () => void): void {
    this.queued = { request, show, settled };
    if (!this.inFlight) this.sendQueued();
  }

  /** Sends the waiting query request, if any; then the next, until none waits. */
  private sendQueued(): void {
    const job = this.queued;
    this.inFlight = job !== null;
    if (!job) return;
    this.queued = null;
    const answered = (answer: QueryReport | EngineError): void => {
      // A newer request waits: this answer is already stale.
      if (!this.queued) {
        job.show(answer, job.request);
        job.settled();
      }
      this.sendQueued();
    };
    this.call("query", job.request).then(answered, (error: EngineError) => answered(error));
  }
}
