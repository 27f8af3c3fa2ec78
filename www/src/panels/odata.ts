// The OData tab: a URL or $filter parsed, its filter grouped and drawn as
// a tree, translated to REST with located errors; and REST back to OData.
import { h } from "../dom";
import { attempt, showOutcome } from "../outcome";
import type * as Kit from "octane-kit";
import type { TreeNode, TreeView } from "./tree";

/** The elements of the tab. */
export interface ODataParts {
  diagnostics: HTMLElement;
  parenthesized: HTMLElement;
  rest: HTMLElement;
  options: HTMLElement;
  tree: TreeView;
}

/** Shows what `input` (an OData URL, query string or bare filter) says. */
export function showOData(kit: typeof Kit, parts: ODataParts, input: string, entity: string, schema: Kit.Schema | undefined): void {
  // A URL, a path or a query string; anything else is a bare $filter,
  // which may hold `/` member paths (`release/name eq 'R1'`).
  const looksLikeUrl = /^\s*(https?:\/\/|\/)|\?|(^|&)\s*\$?[a-z]+=/i.test(input);
  const request = looksLikeUrl ? kit.parseOData(input) : null;
  const filter = request ? request.filter : input;
  // Spans of a bare filter are offsets into the input; inside a URL, into the decoded filter.
  const diagnostics: Kit.Diagnostic[] = [...(request?.diagnostics ?? [])];
  parts.options.replaceChildren(...(request ? optionEntries(request) : [h("dt", {}, "$filter"), h("dd", {}, h("code", {}, input))]));

  let explained: Kit.ODataExplanation | null = null;
  if (filter !== undefined && filter.trim() !== "") {
    const outcome = attempt(() => kit.explainOData(filter));
    if (outcome.ok) explained = outcome.value;
    else diagnostics.push(...outcome.diagnostics);
  }
  parts.parenthesized.textContent = explained?.parenthesized ?? "";
  parts.tree.show(explained ? [odataNode(explained.ast)] : [], filter ?? "", filter ? "The filter has errors." : "No $filter.");

  if (explained && filter) {
    const collection = request?.entitySet ?? entity;
    showOutcome(parts.rest, attempt(() => kit.odataToQuery(filter, { entity: collection, schema })));
  } else {
    parts.rest.textContent = "";
  }
  parts.diagnostics.replaceChildren(
    ...diagnostics.map((d) => h("li", { class: d.severity, "data-code": d.code }, h("pre", {}, d.rendered))),
  );
}

/** REST back to OData. */
export function showBack(kit: typeof Kit, output: HTMLElement, source: string): void {
  showOutcome(output, attempt(() => kit.queryToOData(source)));
}

function odataNode(node: Kit.ODataNode): TreeNode {
  const label = node.kind === "literal" ? node.label : node.kind === "path" ? "path" : node.label || node.kind;
  return { kind: node.kind, label, span: node.span, children: node.children.map(odataNode) };
}

function optionEntries(request: Kit.ODataRequest): HTMLElement[] {
  const rows: [string, string][] = [];
  if (request.entitySet) rows.push(["entity set", request.entitySet + (request.key ? `(${request.key})` : "")]);
  if (request.path.length) rows.push(["path", request.path.join("/")]);
  if (request.filter !== undefined) rows.push(["$filter", request.filter]);
  if (request.select) rows.push(["$select", request.select.join(", ")]);
  if (request.orderBy) rows.push(["$orderby", request.orderBy.map((o) => `${o.expr} ${o.descending ? "desc" : "asc"}`).join(", ")]);
  if (request.top !== undefined) rows.push(["$top", String(request.top)]);
  if (request.skip !== undefined) rows.push(["$skip", String(request.skip)]);
  if (request.count !== undefined) rows.push(["$count", String(request.count)]);
  if (request.search !== undefined) rows.push(["$search", request.search]);
  if (request.format !== undefined) rows.push(["$format", request.format]);
  if (request.expand) rows.push(["$expand", request.expand.map((e) => e.path).join(", ")]);
  for (const [key, value] of request.other) rows.push([key, value]);
  return rows.flatMap(([key, value]) => [h("dt", {}, key), h("dd", {}, h("code", {}, value))]);
}
