// A syntax tree as a collapsible, keyboard-navigable ARIA tree: each node
// shows its kind and its source text; hovering or choosing a node marks
// its span in the editor, and the cursor selects the deepest node under
// it. Rows are one flat list (depth is `aria-level` and an indent), so a
// tree hundreds of levels deep lays out as fast as a shallow one.
import { h } from "../dom";
import type { Span } from "octane-kit";

/** One node of a displayed tree. */
export interface TreeNode {
  /** `and`, `phrase`, `field`, `value`, `error`, ... (`data-kind`). */
  kind: string;
  /** What the node is, in words: `AND`, `EQ`, `string`. */
  label: string;
  span: Span;
  children: TreeNode[];
  /** Marks a part the parser could not read. */
  broken?: boolean;
}

/** What a tree view reports. */
export interface TreeHooks {
  onHover(span: Span | null): void;
  onChoose(span: Span): void;
}

/** One row: a node, its depth, and where its subtree ends. */
interface Row {
  node: TreeNode;
  element: HTMLElement;
  level: number;
  /** Index of the first row after this node's subtree. */
  end: number;
}

/** Rows shown at most: past this, a tree is a hostile paste, not a query to read. */
const MAX_ROWS = 2_000;

/** Indentation stops growing here; deeper rows show their level instead. */
const MAX_INDENT = 24;

/** A tree view in `container`. */
export class TreeView {
  private rows: Row[] = [];
  private selected: Row | null = null;

  constructor(
    private readonly container: HTMLElement,
    private readonly hooks: TreeHooks,
  ) {
    container.addEventListener("keydown", (event) => this.onKey(event));
    container.addEventListener("mouseleave", () => hooks.onHover(null));
    container.addEventListener("mouseover", (event) => {
      const row = this.rowOf(event.target);
      if (row) hooks.onHover(row.node.span);
    });
    container.addEventListener("click", (event) => {
      const row = this.rowOf(event.target);
      if (!row) return;
      if ((event.target as HTMLElement).closest(".twist")) this.toggle(row);
      else this.choose(row);
    });
  }

  /** Shows `roots`; `source` gives each node its text. */
  show(roots: TreeNode[], source: string, empty = "Nothing parsed yet."): void {
    // Rows of the last tree, by what they show: typing changes few nodes,
    // and an unchanged node keeps its element (and its collapsed state),
    // even when an edit before it moved its span.
    this.previous.clear();
    for (const row of this.rows) {
      const signature = row.element.dataset.signature!;
      const same = this.previous.get(signature);
      if (same) same.push(row.element);
      else this.previous.set(signature, [row.element]);
    }
    // Taken in document order, as they were stored.
    for (const same of this.previous.values()) same.reverse();
    this.rows = [];
    if (this.selected) {
      this.selected.element.setAttribute("aria-selected", "false");
      this.selected = null;
    }
    if (roots.length === 0) {
      this.container.replaceChildren(h("p", { class: "hint" }, empty));
      return;
    }
    // Depth-first, without recursion: trees may be as deep as the parser allows.
    const stack: { node: TreeNode; level: number }[] = roots.map((node) => ({ node, level: 1 })).reverse();
    const open: Row[] = [];
    let left = 0;
    while (stack.length) {
      if (this.rows.length >= MAX_ROWS) {
        left = stack.length;
        break;
      }
      const { node, level } = stack.pop()!;
      while (open.length && open[open.length - 1]!.level >= level) open.pop()!.end = this.rows.length;
      const row: Row = { node, level, element: this.reuse(node, source, level), end: this.rows.length + 1 };
      this.rows.push(row);
      open.push(row);
      for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i]!, level: level + 1 });
    }
    for (const row of open) row.end = this.rows.length;
    // A reused row may be collapsed: its subtree stays hidden.
    for (let i = 0; i < this.rows.length; i++) {
      const row = this.rows[i]!;
      if (row.element.getAttribute("aria-expanded") === "false") {
        for (let j = i + 1; j < row.end; j++) if (!this.rows[j]!.element.hidden) this.rows[j]!.element.hidden = true;
        i = row.end - 1;
      }
    }
    this.rows.forEach((row, index) => {
      if (row.element.dataset.index !== String(index)) row.element.dataset.index = String(index);
    });
    const first = this.rows[0];
    if (first) first.element.tabIndex = 0;
    const rest = left ? h("p", { class: "hint" }, `The tree is cut at ${MAX_ROWS} nodes; more follow.`) : null;
    this.sync([...this.rows.map((row) => row.element), ...(rest ? [rest] : [])]);
    this.previous.clear();
  }

  /** Puts `elements` in the container, touching only what changed. */
  private sync(elements: HTMLElement[]): void {
    // The rows that go, first: then each kept row is already in its place
    // (moving every row after a new one would lay the whole tree out again).
    const kept = new Set<Element>(elements);
    for (const child of [...this.container.children]) if (!kept.has(child)) child.remove();
    const children = this.container.children;
    elements.forEach((element, i) => {
      if (children[i] !== element) this.container.insertBefore(element, children[i] ?? null);
    });
    while (children.length > elements.length) children[children.length - 1]!.remove();
  }

  /** The last tree's rows by signature, in document order, while a new tree is shown. */
  private readonly previous = new Map<string, HTMLElement[]>();

  private reuse(node: TreeNode, source: string, level: number): HTMLElement {
    const text = source.slice(node.span.start, Math.min(node.span.end, node.span.start + 120));
    const signature = `${level}|${node.kind}|${node.label}|${node.children.length > 0}|${!!node.broken}|${text}`;
    const found = this.previous.get(signature)?.pop();
    if (found) {
      // Write only what differs: each write would restyle the row.
      if (found.hidden) found.hidden = false;
      if (found.tabIndex !== -1) found.tabIndex = -1;
      const [start, end] = [String(node.span.start), String(node.span.end)];
      if (found.dataset.start !== start) found.dataset.start = start;
      if (found.dataset.end !== end) found.dataset.end = end;
      return found;
    }
    const element = this.element(node, source, level);
    element.dataset.signature = signature;
    return element;
  }

  private element(node: TreeNode, source: string, level: number): HTMLElement {
    const text = source.slice(node.span.start, node.span.end);
    const parent = node.children.length > 0;
    return h(
      "div",
      {
        class: `node${node.broken ? " broken" : ""}`,
        role: "treeitem",
        "aria-level": level,
        "aria-selected": "false",
        "aria-expanded": parent ? "true" : undefined,
        tabindex: -1,
        style: `padding-left: ${Math.min(level - 1, MAX_INDENT) * 14 + 4}px`,
        "data-testid": "ast-node",
        "data-kind": node.kind,
        "data-start": node.span.start,
        "data-end": node.span.end,
        title: node.broken ? "the parser could not read this part" : undefined,
      },
      parent
        ? h("button", { type: "button", class: "twist", tabindex: -1, "aria-label": "Collapse" }, "▾")
        : h("span", { class: "twist leaf", "aria-hidden": "true" }),
      level > MAX_INDENT + 1 ? h("span", { class: "depth" }, `${level}`) : null,
      h("span", { class: `kind kind-${node.kind}` }, node.label || node.kind),
      h("code", { class: "text" }, text.length > 120 ? text.slice(0, 117) + "…" : text),
    );
  }

  private rowOf(target: EventTarget | null): Row | undefined {
    const element = (target as HTMLElement | null)?.closest?.<HTMLElement>('[role="treeitem"]');
    return element ? this.rows[Number(element.dataset.index)] : undefined;
  }

  private choose(row: Row): void {
    this.mark(row);
    this.hooks.onChoose(row.node.span);
  }

  /** Collapses or expands `row`'s subtree (collapsed descendants stay so). */
  private toggle(row: Row, open?: boolean): void {
    if (row.node.children.length === 0) return;
    const expanded = open ?? row.element.getAttribute("aria-expanded") !== "true";
    row.element.setAttribute("aria-expanded", String(expanded));
    const twist = row.element.querySelector(".twist");
    if (twist) {
      twist.textContent = expanded ? "▾" : "▸";
      twist.setAttribute("aria-label", expanded ? "Collapse" : "Expand");
    }
    const index = this.rows.indexOf(row);
    for (let i = index + 1; i < row.end; ) {
      const child = this.rows[i]!;
      child.element.hidden = !expanded;
      // Under a collapsed child, rows stay hidden.
      i = expanded && child.element.getAttribute("aria-expanded") === "false" ? child.end : i + 1;
    }
  }

  private mark(row: Row): void {
    if (this.selected) {
      this.selected.element.setAttribute("aria-selected", "false");
      this.selected.element.tabIndex = -1;
    }
    for (const r of this.rows) if (r.element.tabIndex === 0) r.element.tabIndex = -1;
    row.element.setAttribute("aria-selected", "true");
    row.element.tabIndex = 0;
    this.selected = row;
  }

  /** Selects the deepest node whose span holds `span` (the editor's selection). */
  selectAt(span: Span): void {
    let best: Row | undefined;
    for (const row of this.rows) {
      const { start, end } = row.node.span;
      if (start > span.start || span.end > end) continue;
      if (!best || end - start <= best.node.span.end - best.node.span.start) best = row;
    }
    if (!best || best === this.selected) return;
    this.mark(best);
    // Expand the collapsed ancestors, then bring the row into view.
    const index = this.rows.indexOf(best);
    for (let i = index - 1; i >= 0; i--) {
      const row = this.rows[i]!;
      if (row.end > index && row.element.getAttribute("aria-expanded") === "false") this.toggle(row, true);
    }
    // After the frame's layout, not in the middle of an update; within
    // the tree only (scrollIntoView would scroll the page too).
    const element = best.element;
    requestAnimationFrame(() => {
      const box = this.container;
      const top = element.offsetTop;
      const bottom = top + element.offsetHeight;
      if (top < box.scrollTop) box.scrollTop = top;
      else if (bottom > box.scrollTop + box.clientHeight) box.scrollTop = bottom - box.clientHeight;
    });
  }

  private onKey(event: KeyboardEvent): void {
    const row = this.rowOf(event.target);
    if (!row) return;
    const visible = this.rows.filter((r) => !r.element.hidden);
    const at = visible.indexOf(row);
    const focus = (next: Row | undefined): void => {
      if (!next) return;
      event.preventDefault();
      row.element.tabIndex = -1;
      next.element.tabIndex = 0;
      next.element.focus();
      this.hooks.onHover(next.node.span);
    };
    const parent = (): Row | undefined => {
      const index = this.rows.indexOf(row);
      for (let i = index - 1; i >= 0; i--) if (this.rows[i]!.level < row.level) return this.rows[i];
      return undefined;
    };
    switch (event.key) {
      case "ArrowDown":
        focus(visible[at + 1]);
        break;
      case "ArrowUp":
        focus(visible[at - 1]);
        break;
      case "Home":
        focus(visible[0]);
        break;
      case "End":
        focus(visible[visible.length - 1]);
        break;
      case "ArrowRight":
        if (row.element.getAttribute("aria-expanded") === "false") {
          event.preventDefault();
          this.toggle(row, true);
        } else focus(visible[at + 1]);
        break;
      case "ArrowLeft":
        if (row.element.getAttribute("aria-expanded") === "true") {
          event.preventDefault();
          this.toggle(row, false);
        } else focus(parent());
        break;
      case "Enter":
      case " ":
        event.preventDefault();
        this.choose(row);
        break;
    }
  }
}
