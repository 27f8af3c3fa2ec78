// A syntax tree as a collapsible, keyboard-navigable tree: each node shows
// its kind and its source text; hovering or choosing a node marks its span
// in the editor, and the cursor selects the deepest node under it.
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

/** A tree view in `container`. */
export class TreeView {
  private items: { node: TreeNode; row: HTMLElement }[] = [];
  private selected: HTMLElement | null = null;

  constructor(
    private readonly container: HTMLElement,
    private readonly hooks: TreeHooks,
  ) {
    container.addEventListener("keydown", (event) => this.onKey(event));
    container.addEventListener("mouseleave", () => hooks.onHover(null));
  }

  /** Shows `roots`; `source` gives each node its text. */
  show(roots: TreeNode[], source: string, empty = "Nothing parsed yet."): void {
    this.items = [];
    this.selected = null;
    if (roots.length === 0) {
      this.container.replaceChildren(h("p", { class: "hint" }, empty));
      return;
    }
    const group = h("ul", { role: "group" });
    for (const node of roots) group.append(this.item(node, source, 1));
    this.container.replaceChildren(group);
    const first = this.items[0];
    if (first) first.row.tabIndex = 0;
  }

  private item(node: TreeNode, source: string, level: number): HTMLElement {
    const text = source.slice(node.span.start, node.span.end);
    const row = h(
      "div",
      {
        class: `node${node.broken ? " broken" : ""}`,
        role: "treeitem",
        "aria-level": level,
        "aria-selected": "false",
        tabindex: -1,
        "data-testid": "ast-node",
        "data-kind": node.kind,
        "data-start": node.span.start,
        "data-end": node.span.end,
        title: node.broken ? "the parser could not read this part" : undefined,
      },
      h("span", { class: `kind kind-${node.kind}` }, node.label || node.kind),
      h("code", { class: "text" }, text.length > 120 ? text.slice(0, 117) + "…" : text),
    );
    const li = h("li", {}, row);
    this.items.push({ node, row });
    row.addEventListener("mouseenter", () => this.hooks.onHover(node.span));
    row.addEventListener("click", (event) => {
      if ((event.target as HTMLElement).classList.contains("twist")) return;
      this.mark(row);
      this.hooks.onChoose(node.span);
    });
    if (node.children.length > 0) {
      row.setAttribute("aria-expanded", "true");
      const twist = h("button", { type: "button", class: "twist", tabindex: -1, "aria-label": "Collapse" }, "▾");
      twist.addEventListener("click", () => this.toggle(row));
      row.prepend(twist);
      const group = h("ul", { role: "group" });
      for (const child of node.children) group.append(this.item(child, source, level + 1));
      li.append(group);
    } else {
      row.prepend(h("span", { class: "twist leaf", "aria-hidden": "true" }));
    }
    return li;
  }

  private toggle(row: HTMLElement, open?: boolean): void {
    const expanded = open ?? row.getAttribute("aria-expanded") !== "true";
    row.setAttribute("aria-expanded", String(expanded));
    const twist = row.querySelector(".twist");
    if (twist) {
      twist.textContent = expanded ? "▾" : "▸";
      twist.setAttribute("aria-label", expanded ? "Collapse" : "Expand");
    }
  }

  private mark(row: HTMLElement): void {
    if (this.selected) {
      this.selected.setAttribute("aria-selected", "false");
      this.selected.tabIndex = -1;
    }
    for (const item of this.items) item.row.tabIndex = -1;
    row.setAttribute("aria-selected", "true");
    row.tabIndex = 0;
    this.selected = row;
  }

  /** Selects the deepest node whose span holds `offset` (the editor's cursor). */
  selectAt(span: Span): void {
    let best: { node: TreeNode; row: HTMLElement } | undefined;
    for (const item of this.items) {
      const { start, end } = item.node.span;
      if (start > span.start || span.end > end) continue;
      if (!best || end - start <= best.node.span.end - best.node.span.start) best = item;
    }
    if (!best) return;
    this.mark(best.row);
    this.reveal(best.row);
  }

  private reveal(row: HTMLElement): void {
    for (let li = row.parentElement?.parentElement?.closest("li"); li; li = li.parentElement?.closest("li")) {
      const parent = li.firstElementChild as HTMLElement | null;
      if (parent) this.toggle(parent, true);
    }
    row.scrollIntoView({ block: "nearest" });
  }

  /** Visible rows, in order (collapsed subtrees skipped). */
  private visible(): HTMLElement[] {
    return this.items
      .map((item) => item.row)
      .filter((row) => !row.parentElement?.parentElement?.closest('li:has(> [aria-expanded="false"]) ul'));
  }

  private onKey(event: KeyboardEvent): void {
    const row = (event.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]');
    if (!row) return;
    const rows = this.visible();
    const at = rows.indexOf(row);
    const focus = (next: HTMLElement | undefined): void => {
      if (!next) return;
      event.preventDefault();
      for (const r of rows) r.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
      const item = this.items.find((i) => i.row === next);
      if (item) this.hooks.onHover(item.node.span);
    };
    switch (event.key) {
      case "ArrowDown":
        focus(rows[at + 1]);
        break;
      case "ArrowUp":
        focus(rows[at - 1]);
        break;
      case "Home":
        focus(rows[0]);
        break;
      case "End":
        focus(rows[rows.length - 1]);
        break;
      case "ArrowRight":
        if (row.getAttribute("aria-expanded") === "false") {
          event.preventDefault();
          this.toggle(row, true);
        } else focus(rows[at + 1]);
        break;
      case "ArrowLeft":
        if (row.getAttribute("aria-expanded") === "true") {
          event.preventDefault();
          this.toggle(row, false);
        } else focus(row.parentElement?.parentElement?.closest("li")?.firstElementChild as HTMLElement | undefined);
        break;
      case "Enter":
      case " ": {
        event.preventDefault();
        const item = this.items.find((i) => i.row === row);
        if (item) {
          this.mark(row);
          this.hooks.onChoose(item.node.span);
        }
        break;
      }
    }
  }
}
