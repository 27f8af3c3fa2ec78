// Run: the results of the query on the sample workspace or on pasted
// collections (run by the engine, with order_by, limit, offset, fields and
// the current user): a table with the total, the page and the time taken.
import { h } from "../dom";
import type { QueryRequest, RunReport } from "../engine/protocol";

/** Where results go. */
export interface RunParts {
  count: HTMLElement;
  table: HTMLTableElement;
}

/**
 * Shows what the query gave (`report`, run by the engine): the total, the
 * page and the time taken. `input` says which page and columns were asked
 * for; `link` gives a reference's href.
 */
export function showRun(
  report: RunReport,
  parts: RunParts,
  input: Pick<QueryRequest, "offset" | "fields">,
  link: (type: string, id: string) => string | null,
): void {
  const { count, table } = parts;
  if (report.state !== "ok") {
    count.textContent = report.state === "none" ? "No collections loaded." : `Not run: ${report.message}`;
    count.removeAttribute("data-total");
    count.className = report.state === "none" ? "" : "refused";
    table.replaceChildren();
    return;
  }
  const { result, took } = report;
  const from = (input.offset ?? 0) + 1;
  const to = (input.offset ?? 0) + result.data.length;
  count.className = "";
  count.dataset.total = String(result.total_count);
  count.textContent =
    `${result.total_count} ${result.total_count === 1 ? "entity matches" : "entities match"}` +
    (result.data.length ? `; showing ${from}–${to}` : "") +
    ` (${took < 1 ? took.toFixed(2) : took.toFixed(1)} ms)`;

  const columns = ["id", "type", ...(input.fields.length ? input.fields.filter((f) => f !== "id" && f !== "type") : ["name"])];
  table.replaceChildren(
    h("thead", {}, h("tr", {}, ...columns.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, ...result.data.map((row) => h("tr", {}, ...columns.map((c) => h("td", {}, cell(row[c], link)))))),
  );
}

function cell(value: unknown, link: (type: string, id: string) => string | null): Node | string {
  if (value === undefined) return "";
  if (value === null) return h("span", { class: "null" }, "null");
  if (Array.isArray(value)) {
    const span = h("span", {});
    value.forEach((item, i) => {
      if (i) span.append(", ");
      span.append(cell(item, link));
    });
    return span;
  }
  if (typeof value === "object") {
    const reference = value as { type?: unknown; id?: unknown; name?: unknown };
    if (typeof reference.type === "string" && (typeof reference.id === "string" || typeof reference.id === "number")) {
      const id = String(reference.id);
      const text = typeof reference.name === "string" ? `${reference.name} (${id})` : `${reference.type} ${id}`;
      const href = link(reference.type, id);
      return href ? h("a", { href, title: `Open ${reference.type} ${id} in the workbench` }, text) : text;
    }
    const data = (value as { data?: unknown }).data;
    if (Array.isArray(data)) return cell(data, link);
    return JSON.stringify(value);
  }
  return String(value);
}
