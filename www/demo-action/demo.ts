// A demo external action, written with the npm package as an action's app
// is: the context from its URL, Octane's REST API through OctaneClient
// (queries built with octaneQuery), and Octane's events through OctaneHost.
//
// Its action's URL: .../demo-action/index.html?entity_ids={entity_ids}&entity_type={entity_type}
//   &shared_space={shared_space}&workspace={workspace}&dialog_id={dialog_id}&octane_url={octane_url}
import init, { ActionContext, OctaneClient, OctaneHost, isOctaneError, octaneQuery } from "octane-kit/app";

interface Defect {
  id: string;
  name: string;
  severity: { id: string; type: string } | null;
}

/**
 * The Octane sites this app trusts, pinned in its code. In the action
 * studio, Octane is the playground one port below the app's (and the app
 * itself, when it is a bundle Octane serves). A real app lists its Octane.
 */
function trustedOctanes(): string[] {
  const here = new URL(location.href);
  const port = Number(here.port || (here.protocol === "https:" ? 443 : 80));
  return [`${here.protocol}//${here.hostname}:${port - 1}`, here.origin];
}

const status = document.getElementById("status") as HTMLElement;
const say = (text: string, failed = false) => {
  status.textContent = text;
  status.className = failed ? "error" : "";
};

async function main(): Promise<void> {
  await init();
  const context = ActionContext.fromLocation(location, { octaneOrigins: trustedOctanes() });
  const host = OctaneHost.connect(context);
  const client = new OctaneClient(context);
  const ids = context.entityIds;
  // In a dialog, its title says what the app does; in a tab, the page's does.
  const title = `Triage ${ids.length} defect${ids.length === 1 ? "" : "s"}`;
  if (context.dialogId) host.setDialogTitle(title);
  else document.title = title;
  const page = await client.getCollection<Defect>("defects", {
    query: octaneQuery`id IN ${ids}`,
    fields: ["name", "severity"],
  });
  const body = document.querySelector("#entities tbody") as HTMLElement;
  for (const defect of page.data) {
    const row = body.insertRow();
    row.dataset.id = defect.id;
    for (const text of [defect.id, defect.name, defect.severity?.id.split(".").pop() ?? ""]) row.insertCell().textContent = text;
  }
  (document.getElementById("entities") as HTMLElement).hidden = false;
  const form = document.getElementById("triage") as HTMLFormElement;
  form.hidden = false;
  say(`${page.total_count} of ${ids.length} selected defects read from Octane.`);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const severity = (document.getElementById("severity") as HTMLSelectElement).value;
    try {
      for (const defect of page.data) await client.update("defects", defect.id, { severity: { type: "list_node", id: severity } });
      host.refreshEntity(context.entityType ?? "defect", page.data.map((d) => d.id));
      if (context.dialogId) host.closeDialog({ refresh: true });
      say(`Updated ${page.data.length} defect${page.data.length === 1 ? "" : "s"}.`);
    } catch (error) {
      say(isOctaneError(error) ? `Octane refused the update: ${error.message}` : String(error), true);
    }
  });
}

main().catch((error: unknown) => say(`The action could not start: ${error instanceof Error ? error.message : String(error)}`, true));
