// The playground: every keystroke parses the query and shows its
// canonical form, its grouping and its diagnostics.
import init, { parseQuery, explainQuery, validateQuery, Schema, Dataset, examples } from "/pkg/octane_kit.js";

const $ = (id) => document.getElementById(id);
const input = $("query");
const entity = $("entity");

function item(tag, text, className) {
  const node = document.createElement(tag);
  node.textContent = text;
  if (className) node.className = className;
  return node;
}

function update() {
  const source = input.value;
  const { ast } = parseQuery(source);
  // Parse and schema diagnostics together, for the chosen collection.
  const diagnostics = validateQuery(source, { entity: entity.value });
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const status = $("status");
  status.textContent = errors
    ? `${errors} error${errors === 1 ? "" : "s"}`
    : diagnostics.length
      ? `valid, ${diagnostics.length} warning${diagnostics.length === 1 ? "" : "s"}`
      : "valid";
  status.className = errors ? "error" : "ok";

  const list = $("diagnostics");
  list.replaceChildren(
    ...diagnostics.map((d) => {
      const li = document.createElement("li");
      li.className = d.severity;
      li.dataset.code = d.code;
      li.dataset.start = String(d.span.start);
      li.dataset.end = String(d.span.end);
      li.append(item("pre", d.rendered));
      return li;
    }),
  );

  showResults(source, ast);

  const steps = $("steps");
  if (!ast) {
    $("canonical").textContent = "";
    $("parenthesized").textContent = "";
    $("summary").textContent = "";
    steps.replaceChildren();
    return;
  }
  const explanation = explainQuery(source);
  $("canonical").textContent = explanation.canonical;
  $("parenthesized").textContent = explanation.parenthesized;
  $("summary").textContent = explanation.summary;
  steps.replaceChildren(
    ...explanation.steps.map((step) => {
      const li = document.createElement("li");
      const within = step.within.length ? ` inside {…} of ${step.within.join(" → ")}` : "";
      li.append(item("code", step.result), document.createTextNode(`${within}: ${step.reason}`));
      return li;
    }),
  );
}

let sample = null;

/** Runs the query on the sample workspace and lists the first rows. */
function showResults(source, ast) {
  const body = $("results").tBodies[0];
  const count = $("result-count");
  body.replaceChildren();
  if (!ast || !sample) {
    count.textContent = "";
    return;
  }
  try {
    const { total_count: total, data } = sample.query(entity.value, source, { limit: 20, fields: ["name"] });
    count.textContent = `${total} match${total === 1 ? "" : "es"}${total > 20 ? " (first 20 shown)" : ""}`;
    for (const row of data) {
      const tr = document.createElement("tr");
      tr.append(item("td", row.id), item("td", row.type), item("td", row.name ?? ""));
      body.append(tr);
    }
  } catch (error) {
    count.textContent = error.message;
  }
}

await init();
sample = Dataset.sample();
const gallery = examples();
const picker = $("example");
picker.append(...gallery.map((e, i) => new Option(e.title, String(i))));
picker.addEventListener("change", () => {
  const chosen = gallery[Number(picker.value)];
  if (!chosen) return;
  entity.value = chosen.entity;
  input.value = chosen.query;
  update();
});
const collections = Schema.builtin()
  .entities()
  .filter((e) => e.collection && !e.collection.includes("/"))
  .map((e) => e.collection)
  .sort();
entity.replaceChildren(...collections.map((c) => new Option(c, c, false, c === "defects")));
input.addEventListener("input", update);
entity.addEventListener("change", update);
update();
document.body.dataset.ready = "true";
