// A consumer of the packed npm package: typed, strict, bundled by Vite.
import init, {
  ActionContext,
  Dataset,
  Schema,
  explainQuery,
  formatQuery,
  octaneQuery,
  parseQuery,
  queryToOData,
  renderActionUrl,
  validateQuery,
  type Diagnostic,
  type DiagnosticsError,
  type Explanation,
  type ParseResult,
} from "octane-kit";

await init();

const parsed: ParseResult = parseQuery("name EQ ^x*^;id GT 5");
const first: Diagnostic | undefined = validateQuery("severity EQ ^High^", { entity: "defects", schema: Schema.builtin() })[0];
const explanation: Explanation = explainQuery("a EQ 1;b EQ 2||c EQ 3");
const canonical: string = formatQuery("name='x';id>5");
const fromTemplate: string = octaneQuery`name EQ ${"it's ^ok"};id IN ${[1, 2]}`;
const sample = Dataset.sample();
const total: number = sample.query("defects", "severity EQ {id EQ ^list_node.severity.urgent^}", { limit: 1 }).total;
const url: string = renderActionUrl(
  { name: "a", entity_type: ["defect"], url: "https://x.example/?ids={entity_ids}" },
  { entities: [{ id: "1", type: "defect" }] },
);
const context = ActionContext.fromLocation("https://app.example/?shared_space=1&workspace=2");
let thrown = "";
try {
  formatQuery("id ==");
} catch (error) {
  thrown = (error as DiagnosticsError).diagnostics[0]?.code ?? "";
}

const out = {
  ast: parsed.ast?.expr.type,
  code: first?.code,
  parenthesized: explanation.parenthesized,
  canonical,
  fromTemplate,
  total: total > 0,
  url,
  workspace: context.workspace,
  odata: queryToOData(canonical),
  thrown,
};
const element = document.getElementById("out");
if (element) element.textContent = JSON.stringify(out);
