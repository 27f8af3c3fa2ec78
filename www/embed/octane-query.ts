// <octane-query>: a live example of an ALM Octane query for documentation
// pages. It renders in a shadow root, loads the wasm once per page however
// many elements there are, and shows the query as plain code until then
// (or for good, with a message, when the wasm cannot load).
import type { Diagnostic, Explanation, QueryToken } from "octane-kit/app";
import { queryTree } from "../src/query-tree";
import type { TreeNode } from "../src/panels/tree";
import { INITIAL, writeHash } from "../src/state";
import { h } from "../src/dom";
import { attempt as outcome } from "../src/outcome";
import { loadApp, loadSample } from "./kit";
import css from "./octane-query.css?inline";

/** The panels an element can show, in the order they appear. */
export const PANELS = ["parenthesized", "canonical", "steps", "tree", "results"] as const;
/** One of `PANELS`. */
export type Panel = (typeof PANELS)[number];

/** `detail` of the `query-change` event. */
export interface QueryChangeDetail {
  query: string;
  entity: string;
  /** Whether the query parses and validates without errors. */
  valid: boolean;
  diagnostics: Diagnostic[];
}

type App = Awaited<ReturnType<typeof loadApp>>;

const ATTRIBUTES = ["query", "entity", "show", "editable", "playground", "theme", "limit"] as const;

/** The rows a results panel lists at most (the count covers every match). */
const DEFAULT_LIMIT = 5;

let styles: CSSStyleSheet | undefined;
function sheet(): CSSStyleSheet {
  if (!styles) {
    styles = new CSSStyleSheet();
    styles.replaceSync(css);
  }
  return styles;
}


/**
 * `<octane-query entity="defects" query="..." show="parenthesized,tree,results" editable>`
 *
 * Attributes (each reflected by a property of the same name): `query`
 * (else the element's text), `entity` (a collection or entity name;
 * `defects` by default), `show` (a comma-separated list of `PANELS`;
 * `parenthesized` by default), `editable`, `playground` (the workbench's
 * URL: adds an "Open in playground" link carrying the current state),
 * `theme` (`light` or `dark`; else the page's declared color-scheme, else
 * the system's), `limit` (result rows listed).
 *
 * Events: `query-change` (bubbles, composed) after each edit, with a
 * `QueryChangeDetail`; `ready` once the element is live.
 *
 * Styling: CSS custom properties `--octane-query-background`, `-foreground`,
 * `-muted`, `-accent`, `-error`, `-border`, `-font`, `-code-font`, and the
 * parts `frame`, `query`, `editor`, `panel`, `diagnostics`, `open`.
 */
export class OctaneQueryElement extends HTMLElement {
  static readonly observedAttributes = ATTRIBUTES;

  readonly #root: ShadowRoot;
  #app: App | undefined;
  #failed: string | undefined;
  #connected = false;
  #render = 0;
  #schemeQuery = matchMedia("(prefers-color-scheme: dark)");
  #onScheme = () => this.#applyScheme();

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: "open" });
    this.#root.adoptedStyleSheets = [sheet()];
  }

  /** The query shown (the `query` attribute, else the element's text). */
  get query(): string {
    return this.getAttribute("query") ?? (this.textContent ?? "").trim();
  }
  set query(value: string) {
    this.setAttribute("query", value);
  }

  /** The entity the query is on. */
  get entity(): string {
    return this.getAttribute("entity") || "defects";
  }
  set entity(value: string) {
    this.setAttribute("entity", value);
  }

  /** The panels shown, as written in `show`. */
  get show(): string {
    return this.getAttribute("show") ?? "parenthesized";
  }
  set show(value: string) {
    this.setAttribute("show", value);
  }

  /** Whether the reader may edit the query. */
  get editable(): boolean {
    return this.hasAttribute("editable");
  }
  set editable(value: boolean) {
    this.toggleAttribute("editable", value);
  }

  /** The workbench's URL, or `null` for no "Open in playground" link. */
  get playground(): string | null {
    return this.getAttribute("playground");
  }
  set playground(value: string | null) {
    if (value === null) this.removeAttribute("playground");
    else this.setAttribute("playground", value);
  }

  /** `light`, `dark`, or `null` to follow the page. */
  get theme(): string | null {
    return this.getAttribute("theme");
  }
  set theme(value: string | null) {
    if (value === null) this.removeAttribute("theme");
    else this.setAttribute("theme", value);
  }

  /** The result rows listed at most. */
  get limit(): number {
    const n = Number(this.getAttribute("limit"));
    return Number.isInteger(n) && n > 0 ? Math.min(n, 100) : DEFAULT_LIMIT;
  }
  set limit(value: number) {
    this.setAttribute("limit", String(value));
  }

  /** The panels `show` names that exist, in display order. */
  get panels(): Panel[] {
    const named = new Set(this.show.split(",").map((s) => s.trim()));
    return PANELS.filter((panel) => named.has(panel));
  }

  connectedCallback(): void {
    this.#connected = true;
    this.#schemeQuery.addEventListener("change", this.#onScheme);
    this.#update();
    if (this.#app || this.#failed) return;
    loadApp().then(
      (app) => {
        this.#app = app;
        this.#update();
        this.dispatchEvent(new Event("ready"));
      },
      (error: unknown) => {
        this.#failed = error instanceof Error ? error.message : String(error);
        this.#update();
      },
    );
  }

  disconnectedCallback(): void {
    this.#connected = false;
    this.#schemeQuery.removeEventListener("change", this.#onScheme);
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (old === value || !this.#connected) return;
    // Typing sets `query` from the editor, which already shows it.
    if (name === "query" && this.#editor()?.value === value) {
      this.#refreshPanels();
      return;
    }
    this.#update();
  }

  #editor(): HTMLTextAreaElement | null {
    return this.#root.querySelector("textarea");
  }

  #applyScheme(): void {
    const frame = this.#root.querySelector<HTMLElement>(".frame");
    if (!frame) return;
    const declared = getComputedStyle(document.documentElement).colorScheme.trim();
    const scheme =
      this.theme === "light" || this.theme === "dark"
        ? this.theme
        : declared === "light" || declared === "dark"
          ? declared
          : this.#schemeQuery.matches
            ? "dark"
            : "light";
    frame.dataset.scheme = scheme;
  }

  /** Builds the whole view for the current attributes. */
  #update(): void {
    const frame = h("div", { class: "frame", part: "frame" });
    frame.append(this.#queryView());
    if (this.#failed !== undefined) {
      const message = h("p", { class: "failure" }, `This live example could not load (${this.#failed}). The query is shown as text.`);
      message.setAttribute("role", "alert");
      frame.append(message);
    } else if (!this.#app) {
      frame.append(h("p", { class: "loading" }, "Loading the live example…"));
    } else {
      const diagnostics = h("ul", { class: "diagnostics", part: "diagnostics", "data-testid": "embed-diagnostics" });
      diagnostics.setAttribute("aria-live", "polite");
      frame.append(diagnostics);
      for (const panel of this.panels) frame.append(this.#panel(panel));
    }
    if (this.playground !== null) {
      const link = h("a", { class: "open", part: "open", "data-testid": "embed-open" }, "Open in playground");
      link.target = "_blank";
      link.rel = "noopener";
      frame.append(h("p", { class: "footer" }, link));
    }
    this.#root.replaceChildren(frame);
    this.#applyScheme();
    this.#refreshPanels();
  }

  /** The query: highlighted code, or an editor over highlighted code. */
  #queryView(): HTMLElement {
    const editing = this.editable && this.#app !== undefined;
    // Editing, the code is the highlighted layer under a transparent textarea.
    const code = h(
      "pre",
      { class: "code", part: editing ? undefined : "query", "data-testid": editing ? undefined : "embed-query", "aria-hidden": editing ? "true" : undefined },
      this.query,
    );
    if (!editing) return code;
    const editor = h("textarea", {
      part: "editor query",
      "data-testid": "embed-query",
      rows: 1,
      spellcheck: "false",
      autocapitalize: "off",
      autocomplete: "off",
      "aria-label": `Octane query on ${this.entity}`,
    });
    editor.value = this.query;
    editor.addEventListener("input", () => {
      code.textContent = editor.value + "\n";
      this.query = editor.value;
    });
    editor.addEventListener("scroll", () => {
      code.scrollLeft = editor.scrollLeft;
    });
    return h("div", { class: "editing" }, code, editor);
  }

  #panel(panel: Panel): HTMLElement {
    const titles: Record<Panel, string> = {
      parenthesized: "Grouping",
      canonical: "Canonical form",
      steps: "Precedence steps",
      tree: "Tree",
      results: "Results on the sample workspace",
    };
    const section = h("section", { class: `panel ${panel}`, part: `panel ${panel}` });
    section.dataset.panel = panel;
    section.setAttribute("aria-label", titles[panel]);
    section.append(h("h3", {}, titles[panel]));
    return section;
  }

  /** Fills the panels for the current query. */
  #refreshPanels(): void {
    const app = this.#app;
    if (!app) return;
    const query = this.query;
    const entity = this.entity;
    const highlighted = this.#root.querySelector<HTMLElement>("pre.code");
    if (highlighted) highlight(highlighted, query, attempt(() => app.tokenizeQuery(query)) ?? []);
    const diagnostics = collect(app, query, entity);
    const errors = diagnostics.filter((d) => d.severity === "error");
    const list = this.#root.querySelector(".diagnostics");
    list?.replaceChildren(...diagnostics.map((d) => diagnosticItem(d, query)));
    // The grouping is syntax alone: an unknown field does not hide it.
    const explanation = attempt(() => app.explainQuery(query));
    const render = ++this.#render;
    for (const section of this.#root.querySelectorAll<HTMLElement>("section.panel")) {
      const panel = section.dataset.panel as Panel;
      const body = this.#panelBody(panel, app, query, entity, explanation, render);
      section.replaceChildren(section.querySelector("h3") ?? "", body);
    }
    const link = this.#root.querySelector<HTMLAnchorElement>("a.open");
    if (link && this.playground !== null) {
      link.href = this.playground.replace(/#.*$/, "") + writeHash({ ...INITIAL, entity, query });
    }
    this.dispatchEvent(
      new CustomEvent<QueryChangeDetail>("query-change", {
        bubbles: true,
        composed: true,
        detail: { query, entity, valid: errors.length === 0, diagnostics },
      }),
    );
  }

  #panelBody(
    panel: Panel,
    app: App,
    query: string,
    entity: string,
    explanation: Explanation | undefined,
    render: number,
  ): HTMLElement {
    const unavailable = (what: string) =>
      h("p", { class: "muted", "data-testid": `embed-${panel}` }, `No ${what}: the query does not parse.`);
    switch (panel) {
      case "parenthesized":
        return explanation ? h("pre", { class: "code", "data-testid": "embed-parenthesized" }, explanation.parenthesized) : unavailable("grouping");
      case "canonical":
        return explanation ? h("pre", { class: "code", "data-testid": "embed-canonical" }, explanation.canonical) : unavailable("canonical form");
      case "steps": {
        if (!explanation) return unavailable("steps");
        const list = h("ol", { class: "steps", "data-testid": "embed-steps" });
        for (const step of explanation.steps) list.append(h("li", {}, `${step.result}: ${step.reason}`));
        return list;
      }
      case "tree": {
        const parsed = attempt(() => app.parseQuery(query));
        const ast = parsed?.ast ?? parsed?.partial;
        const tree = h("ul", { class: "tree", "data-testid": "embed-tree" });
        tree.setAttribute("role", "tree");
        tree.setAttribute("aria-label", "Query tree");
        if (ast) tree.append(...queryTree(ast).map((node) => treeItem(node, query)));
        return tree;
      }
      case "results": {
        const holder = h("div", { class: "results", "data-testid": "embed-results" });
        if (!explanation) {
          holder.append(h("p", { class: "muted", "data-testid": "embed-result-count" }, "Not run: the query does not parse."));
          return holder;
        }
        holder.append(h("p", { class: "muted", "data-testid": "embed-result-count-pending" }, "Running on the sample workspace…"));
        this.#runResults(holder, query, entity, render);
        return holder;
      }
    }
  }

  async #runResults(holder: HTMLElement, query: string, entity: string, render: number): Promise<void> {
    let content: HTMLElement[];
    try {
      const { dataset } = await loadSample();
      const started = performance.now();
      const result = dataset.query(entity, query, { limit: this.limit });
      const took = performance.now() - started;
      const count = h("p", { "data-testid": "embed-result-count", class: "count" });
      count.dataset.count = String(result.total_count);
      count.textContent = `${result.total_count} ${entity} match (${took.toFixed(1)} ms)`;
      content = [count, resultsTable(result.data, query)];
    } catch (error) {
      const first = (error as { diagnostics?: Diagnostic[] }).diagnostics?.[0];
      const reason = first ? `${first.code} ${first.message}` : error instanceof Error ? error.message : String(error);
      const message = h("p", { class: "failure", "data-testid": "embed-result-count" }, `No results: ${reason}`);
      message.setAttribute("role", "alert");
      content = [message];
    }
    if (render === this.#render) holder.replaceChildren(...content);
  }
}

/** `call`'s value, or undefined when it throws. */
function attempt<T>(call: () => T): T | undefined {
  const result = outcome(call);
  return result.ok ? result.value : undefined;
}

/** Syntax and schema diagnostics; a thrown error becomes one, never none. */
function collect(app: App, query: string, entity: string): Diagnostic[] {
  const result = outcome(() => app.validateQuery(query, { entity }));
  if (result.ok) return result.value;
  if (result.diagnostics.length > 0) return result.diagnostics;
  return [{ code: "E", severity: "error", message: result.message, span: { start: 0, end: query.length }, rendered: result.message } as Diagnostic];
}

function diagnosticItem(d: Diagnostic, query: string): HTMLElement {
  const item = h("li", { class: d.severity });
  item.dataset.code = d.code;
  const where = query.slice(d.span.start, d.span.end);
  item.append(
    h("strong", {}, `${d.code} `),
    document.createTextNode(d.message),
    ...(where ? [document.createTextNode(" at "), h("code", {}, where)] : []),
    ...(d.help ? [h("span", { class: "help" }, ` ${d.help}`)] : []),
  );
  return item;
}

/** Puts `query` in `target`, one span per token kind. */
function highlight(target: HTMLElement, query: string, tokens: QueryToken[]): void {
  const parts: Node[] = [];
  let at = 0;
  for (const token of tokens) {
    if (token.span.start < at) continue;
    if (token.span.start > at) parts.push(document.createTextNode(query.slice(at, token.span.start)));
    parts.push(h("span", { class: `t-${token.kind}` }, query.slice(token.span.start, token.span.end)));
    at = token.span.end;
  }
  parts.push(document.createTextNode(query.slice(at) + (target.getAttribute("aria-hidden") ? "\n" : "")));
  target.replaceChildren(...parts);
}

function treeItem(node: TreeNode, query: string): HTMLElement {
  const item = h("li", { class: `node ${node.kind}${node.broken ? " broken" : ""}` });
  item.setAttribute("role", "treeitem");
  item.dataset.kind = node.kind;
  const source = query.slice(node.span.start, node.span.end);
  item.append(h("span", { class: "kind" }, node.label), h("code", {}, source.length > 80 ? `${source.slice(0, 79)}…` : source));
  if (node.children.length > 0) {
    item.setAttribute("aria-expanded", "true");
    const group = h("ul", {});
    group.setAttribute("role", "group");
    group.append(...node.children.map((child) => treeItem(child, query)));
    item.append(group);
  }
  return item;
}

/** The columns of a result: id and name, then the fields the query filters on. */
function resultsTable(rows: Record<string, unknown>[], query: string): HTMLElement {
  const filtered = [...query.matchAll(/(?:^|[;(|!])\s*([a-z_][a-z0-9_]*)\s/gi)].map((m) => m[1] ?? "");
  const columns = [...new Set(["id", "name", ...filtered])].filter((c) => c && rows.some((r) => c in r)).slice(0, 5);
  const table = h("table", {});
  const head = h("tr", {}, ...columns.map((c) => h("th", { scope: "col" }, c)));
  table.append(h("thead", {}, head));
  const body = h("tbody", {});
  for (const row of rows) body.append(h("tr", {}, ...columns.map((c) => h("td", {}, cell(row[c])))));
  table.append(body);
  const scroller = h("div", { class: "table" }, table);
  scroller.tabIndex = 0;
  scroller.setAttribute("role", "region");
  scroller.setAttribute("aria-label", "Matching rows");
  return scroller;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "object") return String(value);
  const ref = value as { name?: unknown; id?: unknown; data?: unknown[] };
  if (Array.isArray(ref.data)) return ref.data.map(cell).join(", ");
  return String(ref.name ?? ref.id ?? JSON.stringify(value));
}
