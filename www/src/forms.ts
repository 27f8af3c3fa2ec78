// "Copy as": the REST URL, a curl command, an octaneFetch call, the OData
// $filter (or the located reason it has none) and the octaneQuery
// template, computed from the package alone (no DOM: the engine's worker
// runs it).
import { attempt as call, firstProblem } from "./outcome";
import type * as Kit from "octane-kit";
import type { CopyForm } from "./engine/protocol";

/** Where and what to copy. */
export interface CopyInput {
  source: string;
  collection: string;
  server: string;
  sharedSpace: string;
  workspace: string;
  orderBy: string;
  limit: number | undefined;
  offset: number | undefined;
  fields: string[];
  /** The query parsed, or null when it has errors. */
  canonical: string | null;
}

/** Every form of the query, in the order the panel shows them. */
export function copyForms(kit: typeof Kit, input: CopyInput): CopyForm[] {
  const forms: CopyForm[] = [];
  const rest = attempt(() =>
    kit.buildRestUrl({
      server: input.server,
      sharedSpace: input.sharedSpace,
      workspace: input.workspace,
      collection: input.collection,
      query: input.source.trim() === "" ? undefined : input.source,
      fields: input.fields.length ? input.fields : undefined,
      orderBy: input.orderBy || undefined,
      limit: input.limit,
      offset: input.offset,
    }),
  );
  forms.push(form("REST URL", "copy-rest-url", rest));
  const curl = `curl --cookie-jar cookies.txt --cookie cookies.txt \\\n  --header 'Accept: application/json' \\\n  '${rest.text.replace(/'/g, "'\\''")}'`;
  forms.push(form("curl", "copy-curl", rest.ok ? { ok: true, text: curl } : rest));
  const path = attempt(() =>
    kit.collectionPath(input.collection, {
      query: input.source.trim() === "" ? undefined : input.source,
      fields: input.fields.length ? input.fields : undefined,
      orderBy: input.orderBy || undefined,
      limit: input.limit,
      offset: input.offset,
    }),
  );
  const fetchCall = `import { ActionContext, octaneFetch } from "octane-kit";\n\nconst context = ActionContext.fromLocation();\nconst response = await octaneFetch(context, ${JSON.stringify(path.text)});\nconst { data, total_count } = await response.json();`;
  forms.push(form("octaneFetch", "copy-fetch", path.ok ? { ok: true, text: fetchCall } : path));
  forms.push(form("OData $filter", "copy-odata", attempt(() => kit.queryToOData(input.source))));
  const template = input.canonical ? attempt(() => octaneTemplate(kit, input.canonical!)) : { ok: false, text: rest.text };
  forms.push(form("octaneQuery template", "copy-template", template));
  return forms;
}

function form(title: string, testid: string, outcome: { ok: boolean; text: string }): CopyForm {
  return { title, testid, text: outcome.text, ok: outcome.ok };
}

/** The text of a call, or the frame of the first problem of its error. */
function attempt(work: () => string): { ok: boolean; text: string } {
  const outcome = call(work);
  if (outcome.ok) return { ok: true, text: outcome.value };
  return { ok: false, text: firstProblem(outcome)?.rendered ?? outcome.message };
}

/**
 * The canonical query as an `octaneQuery` tagged template, each literal a
 * `${value}`: what an app writes so that no value can change the query.
 * Checked: the template gives back the canonical query.
 */
export function octaneTemplate(kit: typeof Kit, canonical: string): string {
  const { ast } = kit.parseQuery(canonical);
  if (!ast) throw new Error("the query has errors");
  const holes: { span: Kit.Span; value: Kit.QueryValue }[] = [];
  const visitValue = (v: Kit.Value): void => {
    if (v.type === "number") holes.push({ span: v.span, value: Number(v.text) });
    else if (v.type === "string" && v.kind === "text" && !v.value.includes("*")) holes.push({ span: v.span, value: v.value });
    else if (v.type === "boolean") holes.push({ span: v.span, value: v.value });
    else if (v.type === "cross_filter") visit(v.filter);
  };
  const visit = (e: Kit.Expr): void => {
    if (e.type === "and" || e.type === "or") e.operands.forEach(visit);
    else if (e.type === "not") visit(e.operand);
    else [e.value, e.low, e.high, ...(e.values ?? [])].forEach((v) => v && visitValue(v));
  };
  visit(ast.expr);
  holes.sort((a, b) => a.span.start - b.span.start);
  const strings: string[] = [];
  let at = 0;
  for (const hole of holes) {
    strings.push(canonical.slice(at, hole.span.start));
    at = hole.span.end;
  }
  strings.push(canonical.slice(at));
  const values = holes.map((hole) => hole.value);
  if (kit.buildQuery(strings, values) !== canonical) return `octaneQuery\`${canonical.replace(/[`\\$]/g, "\\$&")}\``;
  const escape = (s: string): string => s.replace(/[`\\]|\$\{/g, (m) => "\\" + m);
  let body = escape(strings[0] ?? "");
  values.forEach((value, i) => {
    body += "${" + JSON.stringify(value) + "}" + escape(strings[i + 1] ?? "");
  });
  return `import { octaneQuery } from "octane-kit";\n\nconst query = octaneQuery\`${body}\`;`;
}
