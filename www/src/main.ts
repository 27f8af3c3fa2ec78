// The playground: a workbench for ALM Octane REST queries and OData
// filters, built on the octane-kit npm package.
import init, * as kit from "octane-kit";
import type { Diagnostic, EntityInfo, QueryAst, Schema } from "octane-kit";
import wasmUrl from "octane-kit/octane_kit_bg.wasm?url";
import { byId, h, onDropText, copyText } from "./dom";
import { createQueryEditor, type QueryEditor } from "./editor";
import { queryTree } from "./query-tree";
import { TreeView } from "./panels/tree";
import { showGrouping } from "./panels/grouping";
import { showCopyAs } from "./panels/copy";
import { showRun } from "./panels/run";
import { Engine, EngineError } from "./engine/client";
import type { QueryReport, QueryRequest } from "./engine/protocol";
import { showBack, showOData } from "./panels/odata";
import { readHash, writeHash, TABS, type State } from "./state";
import type { Studio } from "./studio/studio";

const input = <T extends HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(id: string): T => byId<T>(id);

/** Everything the page holds besides the state in the hash. */
interface Page {
  state: State;
  editor: QueryEditor;
  /** Parses, checks, explains and runs the query, off the page's thread. */
  engine: Engine;
  /** The user's metadata (the engine holds its own copy), for the OData tab. */
  schema: Schema | undefined;
  tree: TreeView;
  odataTree: TreeView;
  /** Collection of each entity type, for reference links. */
  collections: Map<string, string>;
  /** The diagnostics shown, for "fix all", and the text they are of. */
  diagnostics: Diagnostic[];
  diagnosed: string;
  /** The action studio, made when its tab is first shown. */
  studio: Promise<Studio> | null;
  /** Told when the panels have caught up with the state. */
  onSettled: (() => void) | null;
}

async function main(): Promise<void> {
  const status = byId("status");
  let engine: Engine;
  try {
    // One fetch and one compilation: the page and its engine share the module.
    const module = await compile(wasmUrl);
    // The page's instance and the worker's start side by side.
    [, engine] = await Promise.all([init({ module_or_path: module }), Engine.start(module)]);
  } catch (error) {
    status.textContent = `The query engine did not load: ${(error as Error).message}`;
    status.className = "status error";
    return;
  }
  const state = readHash(location.hash);
  const page = {} as Page;
  page.state = state;
  page.engine = engine;
  page.schema = undefined;
  page.collections = new Map();
  page.diagnostics = [];
  page.diagnosed = "";
  page.studio = null;
  page.onSettled = null;

  page.tree = new TreeView(byId("ast-tree"), {
    onHover: (span) => page.editor.highlight(span),
    onChoose: (span) => page.editor.select(span),
  });
  page.editor = createQueryEditor(byId("query-editor"), state.query, {
    tokenize: (source) => kit.tokenizeQuery(source),
    complete: (source, offset) => page.engine.call("complete", { source, offset, entity: page.state.entity }),
    onChange: (source) => {
      page.state.query = source;
      updateQuery(page);
    },
    onSelection: (span) => page.tree.selectAt(span),
  });
  page.odataTree = new TreeView(byId("odata-tree"), {
    onHover: () => {},
    onChoose: (span) => {
      const area = input<HTMLTextAreaElement>("odata-input");
      const filter = kit.parseOData(area.value).filter;
      // The tree's spans are in the filter; select there when it is the whole input.
      if (filter === undefined || filter === area.value) {
        area.focus();
        area.setSelectionRange(span.start, span.end);
      }
    },
  });

  fillEntities(page, builtinEntities());
  wireControls(page);
  showFlows(page);
  // Ready once the panels show the first report.
  await new Promise<void>((resolve) => {
    page.onSettled = resolve;
    applyState(page, state);
  });
  page.onSettled = null;
  window.addEventListener("hashchange", () => {
    const next = readHash(location.hash);
    if (writeHash(next) !== writeHash(page.state)) applyState(page, next);
  });
  document.body.dataset.ready = "true";
}

/** The package's module, compiled while it downloads where the server allows it. */
async function compile(url: string): Promise<WebAssembly.Module> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  if (response.headers.get("content-type")?.startsWith("application/wasm")) return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}

/** The built-in schema's entities. */
function builtinEntities(): EntityInfo[] {
  const schema = kit.Schema.builtin();
  try {
    return schema.entities();
  } finally {
    schema.free();
  }
}

/** The entity picker: every entity of `all` with a REST collection. */
function fillEntities(page: Page, all: EntityInfo[]): void {
  const select = input<HTMLSelectElement>("entity");
  const entities = all.filter((e) => e.collection);
  page.collections.clear();
  for (const entity of all) if (entity.collection) page.collections.set(entity.name, entity.collection);
  entities.sort((a, b) => a.collection!.localeCompare(b.collection!));
  select.replaceChildren(
    ...entities.map((e) => h("option", { value: e.collection! }, `${e.collection} (${e.label || e.name})`)),
  );
  if (!entities.some((e) => e.collection === page.state.entity)) {
    select.append(h("option", { value: page.state.entity }, `${page.state.entity} (not in this schema)`));
  }
  select.value = page.state.entity;
}

const FIELDS: [keyof State, string][] = [
  ["orderBy", "order-by"],
  ["limit", "limit"],
  ["offset", "offset"],
  ["fields", "fields"],
  ["user", "current-user"],
  ["server", "server"],
  ["sharedSpace", "shared-space"],
  ["workspace", "workspace"],
];

function wireControls(page: Page): void {
  input<HTMLSelectElement>("entity").addEventListener("change", (event) => {
    page.state.entity = (event.target as HTMLSelectElement).value;
    updateQuery(page);
  });
  for (const [key, id] of FIELDS) {
    input(id).addEventListener("input", (event) => {
      (page.state[key] as string) = (event.target as HTMLInputElement).value;
      updateQuery(page);
    });
  }
  input<HTMLSelectElement>("data-source").addEventListener("change", (event) => {
    page.state.data = (event.target as HTMLSelectElement).value === "pasted" ? "pasted" : "sample";
    if (page.state.data === "pasted") (byId("pasted") as HTMLDetailsElement).open = true;
    updateQuery(page);
  });
  for (const tab of document.querySelectorAll<HTMLButtonElement>('[role="tab"]')) {
    tab.addEventListener("click", () => selectTab(page, TABS.find((t) => t === tab.dataset.tab) ?? "query", true));
    tab.addEventListener("keydown", (event) => {
      if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
      const at = TABS.indexOf(page.state.tab);
      const next = TABS[(at + (event.key === "ArrowRight" ? 1 : TABS.length - 1)) % TABS.length] ?? "query";
      selectTab(page, next, true);
      byId(`tab-${next}`).focus();
    });
  }
  // The studio's Octane is the workbench's: one shared space and workspace.
  for (const [key, id, twin] of [
    ["sharedSpace", "studio-space", "shared-space"],
    ["workspace", "studio-ws", "workspace"],
    ["login", "studio-login", null],
  ] as const) {
    input(id).addEventListener("input", (event) => {
      page.state[key] = (event.target as HTMLInputElement).value;
      if (twin) input(twin).value = page.state[key];
      saveState(page);
      void page.studio?.then((studio) => studio.refresh());
    });
  }
  byId("use-canonical").addEventListener("click", () => {
    const canonical = byId("canonical").textContent ?? "";
    if (canonical) page.editor.setText(canonical);
  });
  byId("fix-all").addEventListener("click", () => fixAll(page));
  byId("copy-link").addEventListener("click", (event) => void copyText(location.href, event.currentTarget as HTMLElement));
  input("odata-input").addEventListener("input", (event) => {
    page.state.odata = (event.target as HTMLTextAreaElement).value;
    updateOData(page);
  });
  input("rest-input").addEventListener("input", (event) => {
    page.state.rest = (event.target as HTMLTextAreaElement).value;
    updateOData(page);
  });

  // The user's metadata, pasted or dropped.
  const fieldsArea = input<HTMLTextAreaElement>("meta-fields");
  const entitiesArea = input<HTMLTextAreaElement>("meta-entities");
  onDropText(fieldsArea, (text) => (fieldsArea.value = text));
  onDropText(entitiesArea, (text) => (entitiesArea.value = text));
  byId("meta-use").addEventListener("click", () => {
    const metaStatus = byId("meta-status");
    const metadata = { fields: fieldsArea.value, entities: entitiesArea.value };
    let schema: Schema;
    try {
      // metadata/entities is optional: without it, the entities are the built-in ones.
      schema = metadata.entities.trim()
        ? kit.Schema.fromMetadata(metadata.fields, metadata.entities)
        : (kit.Schema.fromMetadata as (fields: string) => Schema)(metadata.fields);
    } catch (error) {
      metaStatus.textContent = (error as Error).message;
      return;
    }
    page.schema?.free();
    page.schema = schema;
    byId("schema-name").textContent = "your metadata";
    const entities = schema.entities();
    metaStatus.textContent = `Using your metadata: ${entities.length} entities.`;
    fillEntities(page, entities);
    // The engine reads the same metadata; the queries sent after wait for it.
    void page.engine.call("schema", metadata);
    updateQuery(page);
  });
  byId("meta-builtin").addEventListener("click", () => {
    page.schema?.free();
    page.schema = undefined;
    byId("schema-name").textContent = "built-in";
    byId("meta-status").textContent = "Using the built-in schema.";
    void page.engine.call("schema", null);
    fillEntities(page, builtinEntities());
    updateQuery(page);
  });

  // The user's collections, pasted or dropped.
  const pastedArea = input<HTMLTextAreaElement>("pasted-json");
  onDropText(pastedArea, (text) => (pastedArea.value = text));
  byId("pasted-load").addEventListener("click", () => {
    const pastedStatus = byId("pasted-status");
    pastedStatus.textContent = "Loading…";
    page.engine.call("pasted", { text: pastedArea.value }).then(
      (collections) => {
        pastedStatus.textContent = `Loaded ${collections.map((c) => `${c.name} (${c.count})`).join(", ")}.`;
        page.state.data = "pasted";
        input<HTMLSelectElement>("data-source").value = "pasted";
        updateQuery(page);
      },
      (error: EngineError) => {
        pastedStatus.textContent = error.message;
      },
    );
  });
}

function selectTab(page: Page, tab: State["tab"], user: boolean): void {
  page.state.tab = tab;
  for (const name of TABS) {
    const selected = name === tab;
    const button = byId(`tab-${name}`);
    button.setAttribute("aria-selected", String(selected));
    button.tabIndex = selected ? 0 : -1;
    byId(`panel-${name}`).hidden = !selected;
  }
  // The status speaks of the REST query.
  byId("status").hidden = tab !== "query";
  if (tab === "odata") updateOData(page);
  if (tab === "actions") void openStudio(page);
  if (user) saveState(page);
}

/** The action studio, loaded and made on first use. */
function openStudio(page: Page): Promise<Studio> {
  page.studio ??= import("./studio/studio").then(({ Studio, appOrigin }) => {
    byId("studio-app-origin").textContent = appOrigin();
    // Its own sample: the stand-in's writes must not change the workbench's.
    return new Studio(kit.Dataset.sample(), {
      settings: () => ({
        sharedSpace: page.state.sharedSpace.trim(),
        workspace: page.state.workspace.trim(),
        userLogin: page.state.login.trim(),
        userEmail: page.state.login.trim(),
      }),
      appOrigin: page.state.app,
      config: page.state.actions,
      onConfig: (text) => {
        page.state.actions = text;
        saveState(page);
      },
    });
  });
  return page.studio;
}

/** Shows `state` in every control and panel. */
function applyState(page: Page, state: State): void {
  page.state = { ...state };
  const select = input<HTMLSelectElement>("entity");
  if (![...select.options].some((o) => o.value === state.entity)) {
    select.append(h("option", { value: state.entity }, `${state.entity} (not in this schema)`));
  }
  select.value = state.entity;
  for (const [key, id] of FIELDS) input(id).value = state[key] as string;
  input<HTMLSelectElement>("data-source").value = state.data;
  input("odata-input").value = state.odata;
  input("rest-input").value = state.rest;
  input("studio-space").value = state.sharedSpace;
  input("studio-ws").value = state.workspace;
  input("studio-login").value = state.login;
  if (page.editor.text() !== state.query) {
    // setText reports the change, which updates the panels.
    page.editor.setText(state.query);
  } else {
    updateQuery(page);
  }
  selectTab(page, state.tab, false);
}

let saveTimer: number | undefined;
/** Writes the state to the hash (without a history entry per keystroke). */
function saveState(page: Page): void {
  window.clearTimeout(saveTimer);
  saveTimer = window.setTimeout(() => {
    const hash = writeHash(page.state);
    if (hash !== location.hash) history.replaceState(null, "", hash);
  }, 150);
}

function numberOr(value: string): number | undefined {
  if (value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Times `work` as a performance measure named `name`: the last update's
 * measures stay for the bench to read (a PerformanceObserver sees them all).
 */
function timed<T>(name: string, work: () => T): T {
  const start = performance.now();
  try {
    return work();
  } finally {
    performance.measure(name, { start, end: performance.now() });
  }
}

/**
 * Asks the engine for the query tab's report; the panels follow when it
 * comes. While the panels lag the state, `data-pending` is on the body.
 */
function updateQuery(page: Page): void {
  saveState(page);
  document.body.dataset.pending = "true";
  page.engine.query(
    requestOf(page.state),
    (answer, request) => {
      performance.clearMeasures();
      timed("update", () => showReport(page, answer, request));
    },
    () => {
      delete document.body.dataset.pending;
      page.onSettled?.();
    },
  );
}

/** What the query tab's panels depend on, from the state. */
function requestOf(state: State): QueryRequest {
  return {
    source: state.query,
    entity: state.entity,
    orderBy: state.orderBy,
    limit: numberOr(state.limit),
    offset: numberOr(state.offset),
    fields: state.fields.split(",").map((f) => f.trim()).filter(Boolean),
    currentUser: state.user,
    server: state.server,
    sharedSpace: state.sharedSpace,
    workspace: state.workspace,
    data: state.data,
  };
}

/** Shows the engine's answer for `request` in every panel of the query tab. */
function showReport(page: Page, answer: QueryReport | EngineError, request: QueryRequest): void {
  if (answer instanceof EngineError) {
    // The engine could not report: say so, located, where the diagnostics go.
    const diagnostics = answer.diagnostics;
    showDiagnostics(page, diagnostics, request.source);
    if (diagnostics.length === 0) byId("status").textContent = `The query engine failed: ${answer.message}`;
    return;
  }
  const { source } = request;
  performance.measure("engine", { start: 0, duration: answer.took });
  timed("diagnostics", () => showDiagnostics(page, answer.diagnostics, source));
  if (answer.schemaError) byId("status").textContent = answer.schemaError;
  const ast: QueryAst | null = answer.parsed.ast;
  const explanation = answer.explanation;
  byId("canonical").textContent = explanation?.canonical ?? "";
  (byId("use-canonical") as HTMLButtonElement).disabled = !explanation || explanation.canonical === source;
  const tree = ast ?? answer.parsed.partial;
  timed("tree", () => {
    page.tree.show(tree ? queryTree(tree) : [], source, "Nothing could be read: see the diagnostics.");
    const selection = page.editor.view.state.selection.main;
    page.tree.selectAt({ start: selection.from, end: selection.to });
  });
  timed("grouping", () =>
    showGrouping(
      { parenthesized: byId("parenthesized"), drawing: byId("grouping-drawing"), summary: byId("summary"), steps: byId("steps") },
      source,
      ast,
      explanation,
      (span) => page.editor.highlight(span),
    ),
  );
  timed("copy as", () => showCopyAs(byId("copy-as"), answer.copy));
  timed("run", () =>
    showRun(answer.run, { count: byId("result-count"), table: byId("results") as HTMLTableElement }, request, (type, id) => {
      const collection = page.collections.get(type);
      if (!collection) return null;
      return writeHash({ ...page.state, tab: "query", entity: collection, query: `id EQ ^${id.replace(/[\\^]/g, "\\$&")}^` });
    }),
  );
}

/** Lists `diagnostics` (of `source`), and marks them in the editor while it still holds `source`. */
function showDiagnostics(page: Page, diagnostics: Diagnostic[], source: string): void {
  page.diagnostics = diagnostics;
  page.diagnosed = source;
  if (showsDiagnosed(page)) page.editor.showDiagnostics(diagnostics);
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const status = byId("status");
  status.textContent = errors
    ? `${errors} error${errors === 1 ? "" : "s"}`
    : diagnostics.length
      ? `valid, ${diagnostics.length} warning${diagnostics.length === 1 ? "" : "s"}`
      : "valid";
  status.className = `status ${errors ? "error" : "ok"}`;
  byId("no-diagnostics").hidden = diagnostics.length > 0;
  const fixable = diagnostics.filter((d) => d.fix);
  byId("fix-all").hidden = fixable.length < 1;
  byId("diagnostics").replaceChildren(
    ...diagnostics.map((d) => {
      const item = h(
        "li",
        { class: d.severity, "data-code": d.code, "data-start": d.span.start, "data-end": d.span.end },
        h("pre", {}, d.rendered),
      );
      if (d.fix) {
        const fix = d.fix;
        const label = fix.replacement === "" ? "Remove it" : `Replace with ${fix.replacement}`;
        item.append(
          h("button", { type: "button", "data-testid": "quick-fix", onclick: () => showsDiagnosed(page) && page.editor.applyFix(fix) }, `Quick fix: ${label}`),
        );
      }
      item.addEventListener("mouseenter", () => page.editor.highlight(d.span));
      item.addEventListener("mouseleave", () => page.editor.highlight(null));
      return item;
    }),
  );
}

/**
 * Whether the editor still holds the text the diagnostics are of: spans of
 * another text would repair the wrong characters.
 */
function showsDiagnosed(page: Page): boolean {
  return page.editor.text() === page.diagnosed;
}

/** Applies every repair, from the end so that earlier spans stay right. */
function fixAll(page: Page): void {
  if (!showsDiagnosed(page)) return;
  const source = page.editor.text();
  const fixes = page.diagnostics.flatMap((d) => (d.fix ? [d.fix] : [])).sort((a, b) => b.span.start - a.span.start);
  let text = source;
  let limit = Infinity;
  for (const fix of fixes) {
    if (fix.span.end > limit) continue; // overlaps one already applied
    text = text.slice(0, fix.span.start) + fix.replacement + text.slice(fix.span.end);
    limit = fix.span.start;
  }
  if (text !== source) page.editor.setText(text);
}

function showFlows(page: Page): void {
  byId("flows").replaceChildren(
    ...kit.examples().map((example) =>
      h(
        "li",
        {},
        h(
          "button",
          {
            type: "button",
            class: "flow",
            "data-testid": "flow",
            onclick: () => {
              applyState(page, { ...page.state, tab: "query", entity: example.entity, query: example.query });
              page.editor.view.focus();
            },
          },
          h("strong", {}, example.title),
          h("span", {}, example.description),
        ),
      ),
    ),
  );
}

function updateOData(page: Page): void {
  showOData(
    kit,
    {
      diagnostics: byId("odata-diagnostics"),
      parenthesized: byId("odata-parenthesized"),
      rest: byId("odata-rest"),
      options: byId("odata-options"),
      tree: page.odataTree,
    },
    page.state.odata,
    page.state.entity,
    page.schema,
  );
  showBack(kit, byId("rest-odata"), page.state.rest);
  saveState(page);
}

void main();
