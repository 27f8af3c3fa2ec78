// How the stand-in decides, as Octane does (or, where Octane's behaviour
// is not documented, as the strictest reading of its documentation does):
// which buttons a view shows, and which messages from an app it accepts.

/** An action of the config, as far as the studio reads it. */
export interface Action {
  name: string;
  title?: string;
  entity_type?: string[];
  views?: string[];
  icon?: string;
  url: string;
  single_entity?: boolean;
  events?: boolean;
  dialog?: "small" | "medium" | "large";
  workspaces?: number[];
  exclude_workspaces?: number[];
}

/** Where the toolbar is. */
export interface View {
  /** The entity type of the rows: `defect`. */
  entityType: string;
  /** Its aggregated type: `work_item`. */
  aggregated: string;
  view: "list" | "details";
  workspace: string;
}

/** Whether Octane shows `action` in `view`'s toolbar, and if not why. */
export function shown(action: Action, view: View): { shown: boolean; why: string } {
  const types = action.entity_type ?? [];
  if (!types.includes(view.entityType) && !types.includes(view.aggregated)) {
    return { shown: false, why: `entity_type ${JSON.stringify(types)} has neither ${view.entityType} nor ${view.aggregated}` };
  }
  // Without `views`, both views.
  const views = action.views ?? ["list", "details"];
  if (!views.includes(view.view)) return { shown: false, why: `views ${JSON.stringify(views)} leaves out ${view.view}` };
  const ws = Number(view.workspace);
  if (action.workspaces && !action.workspaces.includes(ws)) return { shown: false, why: `workspaces does not list ${ws}` };
  if (action.exclude_workspaces?.includes(ws)) return { shown: false, why: `exclude_workspaces lists ${ws}` };
  return { shown: true, why: "" };
}

/** Whether the button can be clicked with `selected` entities, and if not why. */
export function enabled(action: Action, selected: number): { enabled: boolean; why: string } {
  if (selected === 0) return { enabled: false, why: "select an entity first" };
  if (action.single_entity && selected !== 1) return { enabled: false, why: "single_entity: select exactly one entity" };
  return { enabled: true, why: "" };
}

/** An app the studio opened, whose messages it listens to. */
export interface OpenedApp {
  action: Action;
  window: Window | null;
  /** The origin of the URL Octane opened. */
  origin: string;
  dialogId: string | null;
  sharedSpace: string;
  workspace: string;
}

/** Octane's events, with the fields their `data` must hold. */
const EVENTS: Record<string, Record<string, "string" | "boolean" | "ids" | "id">> = {
  octane_refresh_entity: { entity_type: "string", entity_ids: "ids" },
  octane_refresh_list: { entity_type: "string" },
  octane_display_entity: { entity_type: "string", entity_id: "id" },
  octane_entity_was_added: { entity_type: "string", entity_id: "id" },
  octane_set_dialog_title: { dialog_id: "id", title: "string" },
  octane_close_dialog: { dialog_id: "id" },
  octane_select_entity: { entity_type: "string", entity_id: "id" },
};

/** An accepted event: its name and data. */
export interface Accepted {
  app: OpenedApp;
  name: string;
  data: Record<string, unknown>;
}

/** What the host makes of one message. */
export type Judgement = { accepted: true; event: Accepted } | { accepted: false; name: string; why: string };

/**
 * Whether Octane would accept a message from `source` at `origin`, and if
 * not why: the first rule it breaks, in the order Octane would find it.
 */
export function judge(message: unknown, origin: string, source: MessageEventSource | null, apps: OpenedApp[]): Judgement {
  const envelope = message && typeof message === "object" ? (message as Record<string, unknown>) : undefined;
  const name = typeof envelope?.event_name === "string" ? envelope.event_name : "(no event_name)";
  const refuse = (why: string): Judgement => ({ accepted: false, name, why });
  const app = apps.find((a) => a.window !== null && a.window === source);
  if (!app) return refuse("wrong window: the message does not come from an app this Octane opened");
  if (origin !== app.origin) return refuse(`wrong origin: ${origin} is not ${app.origin}, the origin of the URL Octane opened`);
  if (!envelope) return refuse("malformed: the message is not an object {event_name, shared_space, workspace, data}");
  if (typeof envelope.event_name !== "string") return refuse("malformed: event_name is not a string");
  const fields = EVENTS[envelope.event_name];
  if (!fields) return refuse(`unknown event: ${envelope.event_name}`);
  if (!app.action.events) return refuse('events not enabled: the action\'s config does not say "events": true');
  if (String(envelope.shared_space) !== app.sharedSpace) return refuse(`mismatched shared_space: ${String(envelope.shared_space)} is not ${app.sharedSpace}`);
  if (String(envelope.workspace) !== app.workspace) return refuse(`mismatched workspace: ${String(envelope.workspace)} is not ${app.workspace}`);
  const data = envelope.data;
  if (!data || typeof data !== "object" || Array.isArray(data)) return refuse("malformed payload: data is not an object");
  const record = data as Record<string, unknown>;
  for (const [field, kind] of Object.entries(fields)) {
    const value = record[field];
    const fine =
      kind === "string" ? typeof value === "string" :
      kind === "boolean" ? typeof value === "boolean" :
      kind === "id" ? typeof value === "string" || typeof value === "number" :
      Array.isArray(value) && value.every((v) => typeof v === "string" || typeof v === "number");
    if (!fine) return refuse(`malformed payload: data.${field} is missing or not ${kind === "ids" ? "a list of ids" : `a ${kind === "id" ? "string or number" : kind}`}`);
  }
  if ("dialog_id" in fields) {
    if (app.dialogId === null) return refuse("unknown dialog_id: this app is not in a dialog");
    if (String(record.dialog_id) !== app.dialogId) return refuse(`unknown dialog_id: ${String(record.dialog_id)} is not ${app.dialogId}`);
  }
  return { accepted: true, event: { app, name: envelope.event_name, data: record } };
}
