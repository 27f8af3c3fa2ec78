// A consumer of the packed npm package: typed, strict, bundled by Vite.
import init, {
  ActionContext,
  Dataset,
  OctaneClient,
  OctaneHost,
  Schema,
  explainQuery,
  formatQuery,
  isOctaneError,
  octaneFetch,
  octaneQuery,
  parseQuery,
  queryToOData,
  renderActionUrl,
  validateQuery,
  type Diagnostic,
  type DiagnosticsError,
  type Explanation,
  type OctaneError,
  type OctaneMessage,
  type ParseResult,
} from "octane-kit";
import initApp, * as app from "octane-kit/app";
// Importing the embed defines <octane-query>; its types come with it.
import "octane-kit/embed";
import type { OctaneQueryElement, QueryChangeDetail } from "octane-kit/embed";

interface DefectPatch {
  name: string;
  severity?: { type: "list_node"; id: string };
}
interface Defect {
  id: string;
  name: string;
}

/**
 * The request and event APIs as an app uses them, with its own interface
 * types: type-checked here, run against real servers in tests/e2e.
 */
export async function appFlow(context: ActionContext): Promise<string[]> {
  const patch: DefectPatch = { name: "Renamed" };
  const response: Response = await octaneFetch(context, "defects/7", { method: "PUT", body: patch }, { xsrfOrigins: ["https://proxy.example"], techPreview: true });
  await octaneFetch(context, "attachments", { method: "POST", body: new FormData() });
  const client = new OctaneClient(context, { techPreview: false });
  const schema: Schema = await client.loadSchema();
  const same: boolean = client.schema === schema;
  const page = await client.getCollection<Defect>("defects", { query: octaneQuery`name EQ ${patch.name}`, fields: ["id", "name"], limit: 10 });
  const seen: string[] = page.data.map((defect) => defect.name);
  for await (const defect of client.getAll<Defect>("defects")) seen.push(defect.id);
  const updated: Defect = await client.update<Defect>("defects", 7, patch);
  await client.create("defects", [patch, { name: "Other" }]);
  const host = OctaneHost.connect(context);
  const stop: () => void = host.onMessage((message: OctaneMessage) => seen.push(message.event_name));
  host.refreshEntity("defect", [updated.id]);
  host.closeDialog({ refresh: true });
  stop();
  try {
    await client.getEntity<Defect>("defects", 404);
  } catch (error) {
    if (isOctaneError(error)) {
      const octaneError: OctaneError = error;
      seen.push(octaneError.errorCode ?? String(octaneError.status));
    }
  }
  return [...seen, String(response.status), String(same)];
}

await init();

const parsed: ParseResult = parseQuery("name EQ ^x*^;id GT 5");
const first: Diagnostic | undefined = validateQuery("severity EQ ^High^", { entity: "defects", schema: Schema.builtin() })[0];
const explanation: Explanation = explainQuery("a EQ 1;b EQ 2||c EQ 3");
const canonical: string = formatQuery("name='x';id>5");
const fromTemplate: string = octaneQuery`name EQ ${"it's ^ok"};id IN ${[1, 2]}`;
const sample = Dataset.sample();
const total: number = sample.query("defects", "severity EQ {id EQ ^list_node.severity.urgent^}", { limit: 1 }).total_count;
const url: string = renderActionUrl(
  { name: "a", entity_type: ["defect"], url: "https://x.example/?ids={entity_ids}" },
  { entities: [{ id: "1", type: "defect" }] },
);
const context = ActionContext.fromLocation("https://app.example/?shared_space=1&workspace=2", { octaneOrigins: ["https://octane.example.com"] });
let thrown = "";
try {
  formatQuery("id ==");
} catch (error) {
  thrown = (error as DiagnosticsError).diagnostics[0]?.code ?? "";
}

// The entry for action apps: its own module and wasm, the same answers.
await initApp();
const appTemplate: string = app.octaneQuery`name EQ ${"it's ^ok"};id IN ${[1, 2]}`;
const appClient: app.OctaneClient = new app.OctaneClient(app.ActionContext.fromLocation("https://app.example/?shared_space=1&workspace=2"));
const appEntry = {
  template: appTemplate === fromTemplate,
  path: app.collectionPath("defects", { query: "id GT 5", limit: 2 }),
  client: appClient instanceof app.OctaneClient,
  evaluator: "Dataset" in app || "parseOData" in app || "validateActions" in app,
};

// The embed: an element, typed, that explains its query.
const embed: OctaneQueryElement = document.createElement("octane-query");
embed.show = "parenthesized";
embed.query = "name EQ ^a^;id GT 1||id LT 0";
const changed = new Promise<QueryChangeDetail>((resolve) => embed.addEventListener("query-change", (e) => resolve(e.detail)));
document.body.append(embed);
await new Promise((resolve) => embed.addEventListener("ready", resolve, { once: true }));
const detail = await changed;

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
  appEntry,
  embed: [embed.shadowRoot?.querySelector('[data-testid="embed-parenthesized"]')?.textContent, detail.valid],
  octaneError: [isOctaneError(new Error("x")), isOctaneError(Object.assign(new Error("y"), { name: "OctaneError", status: 404 }))],
};
const element = document.getElementById("out");
if (element) element.textContent = JSON.stringify(out);
