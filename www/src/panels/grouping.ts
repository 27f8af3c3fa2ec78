// How a query groups: the fully parenthesised form, a drawing of the
// AND/OR/NOT tree (cross-filters as nested boxes), the sentence and the
// precedence steps.
import { h, svg } from "../dom";
import type { Explanation, Expr, QueryAst, Span, Value } from "octane-kit";

/** Drawing sizes, in SVG user units. */
const CHAR = 7.3;
const ROW = 26;
const GAP = 14;
const DROP = 22;
const PAD = 8;
/** Larger trees are not drawn: the text forms say it all and stay fast. */
const MAX_NODES = 300;

/** A laid-out piece of the drawing. */
interface Box {
  w: number;
  h: number;
  draw(x: number, y: number, out: SVGElement[]): void;
}

/** Renders the grouping of `ast` (or clears it) into its elements. */
export function showGrouping(
  parts: { parenthesized: HTMLElement; drawing: HTMLElement; summary: HTMLElement; steps: HTMLElement },
  source: string,
  ast: QueryAst | null,
  explanation: Explanation | null,
  hover: (span: Span | null) => void,
): void {
  if (!ast || !explanation) {
    parts.parenthesized.textContent = "";
    parts.summary.textContent = "";
    parts.steps.replaceChildren();
    parts.drawing.replaceChildren(h("p", { class: "hint" }, "Shown when the query has no errors."));
    return;
  }
  parts.parenthesized.textContent = explanation.parenthesized;
  parts.summary.textContent = explanation.summary;
  parts.steps.replaceChildren(
    ...explanation.steps.map((step) => {
      const item = h(
        "li",
        { tabindex: 0, "data-start": step.span.start, "data-end": step.span.end },
        h("code", {}, step.result),
        h("span", { class: "reason" }, step.within.length ? `${step.reason} (inside the cross-filter of ${step.within.join(" → ")})` : step.reason),
      );
      const on = (): void => hover(step.span);
      item.addEventListener("mouseenter", on);
      item.addEventListener("focus", on);
      item.addEventListener("mouseleave", () => hover(null));
      item.addEventListener("blur", () => hover(null));
      return item;
    }),
  );
  parts.drawing.replaceChildren(drawing(source, ast, hover));
}

function count(e: Expr): number {
  switch (e.type) {
    case "and":
    case "or":
      return 1 + e.operands.reduce((n, o) => n + count(o), 0);
    case "not":
      return 1 + count(e.operand);
    case "phrase": {
      const values = [e.value, e.low, e.high, ...(e.values ?? [])];
      return 1 + values.reduce((n, v) => n + (v?.type === "cross_filter" ? count(v.filter) : 0), 0);
    }
  }
}

function drawing(source: string, ast: QueryAst, hover: (span: Span | null) => void): Element {
  if (count(ast.expr) > MAX_NODES) {
    return h("p", { class: "hint" }, `This query has more than ${MAX_NODES} operators and phrases: the drawing is left out.`);
  }
  const box = layout(source, ast.expr);
  const parts: SVGElement[] = [];
  box.draw(PAD, PAD, parts);
  const width = Math.ceil(box.w + 2 * PAD);
  const height = Math.ceil(box.h + 2 * PAD);
  const root = svg(
    "svg",
    { viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": "The query's operators as a tree, phrases as leaves" },
    ...parts,
  );
  root.addEventListener("mouseover", (event) => {
    const target = (event.target as Element).closest("[data-start]");
    if (target) hover({ start: Number(target.getAttribute("data-start")), end: Number(target.getAttribute("data-end")) });
  });
  root.addEventListener("mouseleave", () => hover(null));
  return root;
}

function label(text: string, max = 48): string {
  return text.length > max ? text.slice(0, max - 1) + "…" : text;
}

function layout(source: string, e: Expr): Box {
  switch (e.type) {
    case "and":
      return operator("AND", "op-and", e.span, e.operands.map((o) => layout(source, o)));
    case "or":
      return operator("OR", "op-or", e.span, e.operands.map((o) => layout(source, o)));
    case "not":
      return operator("NOT", "op-not", e.span, [layout(source, e.operand)]);
    case "phrase": {
      const filters = [e.value, e.low, e.high, ...(e.values ?? [])].filter(
        (v): v is Value & { type: "cross_filter" } => v?.type === "cross_filter",
      );
      if (filters.length === 0) return leaf(label(source.slice(e.span.start, e.span.end)), e.span);
      const head = `${e.field.name} ${e.operator.kind} {…}`;
      return crossFilter(head, e.span, filters.map((f) => layout(source, f.filter)));
    }
  }
}

/** A box for `span` with `text` at its top left. */
function labelled(className: string, span: Span, rect: { x: number; y: number; width: number; height: number; rx: number }, text: string): SVGElement {
  return svg(
    "g",
    { class: className, "data-start": span.start, "data-end": span.end },
    svg("rect", rect),
    svg("text", { x: rect.x + PAD, y: rect.y + ROW / 2, "dominant-baseline": "central" }, text),
  );
}

function leaf(text: string, span: Span): Box {
  const w = text.length * CHAR + 2 * PAD;
  return {
    w,
    h: ROW,
    draw(x, y, out) {
      out.push(labelled("leaf", span, { x, y, width: w, height: ROW, rx: 4 }, text));
    },
  };
}

function operator(name: string, className: string, span: Span, children: Box[]): Box {
  const nodeW = name.length * CHAR + 2 * PAD;
  const childrenW = children.reduce((w, c) => w + c.w, 0) + GAP * (children.length - 1);
  const w = Math.max(nodeW, childrenW);
  const h = ROW + DROP + Math.max(...children.map((c) => c.h));
  return {
    w,
    h,
    draw(x, y, out) {
      const cx = x + w / 2;
      let childX = x + (w - childrenW) / 2;
      for (const child of children) {
        out.push(svg("line", { class: "edge", x1: cx, y1: y + ROW, x2: childX + child.w / 2, y2: y + ROW + DROP }));
        child.draw(childX, y + ROW + DROP, out);
        childX += child.w + GAP;
      }
      out.push(
        svg(
          "g",
          { class: `op ${className}`, "data-start": span.start, "data-end": span.end },
          svg("rect", { x: cx - nodeW / 2, y, width: nodeW, height: ROW, rx: ROW / 2 }),
          svg("text", { x: cx, y: y + ROW / 2, "text-anchor": "middle", "dominant-baseline": "central" }, name),
        ),
      );
    },
  };
}

function crossFilter(head: string, span: Span, inner: Box[]): Box {
  const headW = head.length * CHAR + 2 * PAD;
  const innerW = inner.reduce((w, c) => w + c.w, 0) + GAP * (inner.length - 1);
  const w = Math.max(headW, innerW + 2 * PAD);
  const h = ROW + Math.max(...inner.map((c) => c.h)) + PAD;
  return {
    w,
    h,
    draw(x, y, out) {
      out.push(labelled("cross", span, { x, y, width: w, height: h, rx: 6 }, head));
      let childX = x + (w - innerW) / 2;
      for (const child of inner) {
        child.draw(childX, y + ROW, out);
        childX += child.w + GAP;
      }
    },
  };
}
