// The REST query's tree, as the tree view shows it: the valid tree, or
// the partial tree of a query with errors, its broken parts marked.
import type { BrokenExpr, Expr, Phrase, QueryAst, Value } from "octane-kit";
import type { TreeNode } from "./panels/tree";

type AnyExpr = Expr<BrokenExpr>;

/** The nodes of a parsed (or partly parsed) query. */
export function queryTree(ast: QueryAst<BrokenExpr>): TreeNode[] {
  return [expr(ast.expr)];
}

function expr(e: AnyExpr): TreeNode {
  switch (e.type) {
    case "and":
      return { kind: "and", label: "AND ;", span: e.span, children: e.operands.map(expr) };
    case "or":
      return { kind: "or", label: "OR ||", span: e.span, children: e.operands.map(expr) };
    case "not":
      return { kind: "not", label: "NOT !", span: e.span, children: [expr(e.operand)] };
    case "error":
      return { kind: "error", label: "unreadable", span: e.span, children: e.parts.map(expr), broken: true };
    case "phrase":
      return phrase(e);
  }
}

function phrase(p: Phrase<BrokenExpr>): TreeNode {
  const children: TreeNode[] = [
    { kind: "field", label: "field", span: p.field.span, children: [] },
    { kind: "operator", label: p.operator.kind, span: p.operator.span, children: [] },
  ];
  if (p.value) children.push(value(p.value));
  if (p.values) children.push(...p.values.map((v) => value(v)));
  if (p.low) children.push(value(p.low, "low"));
  if (p.high) children.push(value(p.high, "high"));
  return { kind: "phrase", label: "phrase", span: p.span, children };
}

function value(v: Value<BrokenExpr>, role?: string): TreeNode {
  const prefix = role ? `${role}: ` : "";
  switch (v.type) {
    case "cross_filter":
      return { kind: "cross_filter", label: `${prefix}cross-filter`, span: v.span, children: [expr(v.filter)] };
    case "string":
      return { kind: "value", label: `${prefix}${v.kind === "text" ? "string" : v.kind.replace("_", "-")}`, span: v.span, children: [] };
    case "null_reference":
      return { kind: "value", label: `${prefix}{null}`, span: v.span, children: [] };
    case "current_user":
    case "current_release":
      return { kind: "value", label: `${prefix}[${v.type}]`, span: v.span, children: [] };
    default:
      return { kind: "value", label: `${prefix}${v.type}`, span: v.span, children: [] };
  }
}
