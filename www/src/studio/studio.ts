// The action studio: an Octane stand-in that runs an external action end
// to end. The config is checked as Octane checks it; the grid's toolbar
// shows the buttons where Octane would; a click renders the URL and opens
// the app (a dialog or a new tab) on another origin; the app's requests are
// served by the stand-in (standin.ts, through studio-sw.js) and its
// messages judged as Octane would judge them (rules.ts).
import * as kit from "octane-kit";
import type { ActionDiagnostic, Dataset } from "octane-kit";
import { byId, h } from "../dom";
import { createConfigEditor, type ConfigEditor } from "./config-editor";
import { enabled, judge, shown, type Action, type Judgement, type OpenedApp } from "./rules";
import { StandIn } from "./standin";
import { unzip } from "./zip";

/**
 * Where the app runs by default: this host, the next port. Another origin
 * of the same site, so that the browser treats the app's frame as first
 * party (its service worker and Octane's cookie work as on Octane's own
 * domain), yet every origin check of both sides applies.
 * `cargo xtask playground` serves the playground on both ports.
 */
export function defaultAppOrigin(): string {
  const { protocol, hostname, port } = location;
  const number = Number(port || (protocol === "https:" ? 443 : 80));
  return `${protocol}//${hostname}:${number + 1}`;
}

let chosenAppOrigin = "";
/** The app's origin: the studio's setting, else the default. */
export function appOrigin(): string {
  return chosenAppOrigin || defaultAppOrigin();
}

/** This page's folder on any origin: `/` or `/some/folder/`. */
const base = (): string => location.pathname.replace(/[^/]*$/, "");

/** The starting points of the gallery. */
function gallery(): Record<string, { label: string; actions: Action[] }> {
  const app = `${appOrigin()}${base()}demo-action/index.html`;
  const triage: Action = {
    name: "triage",
    title: "Triage",
    entity_type: ["work_item"],
    views: ["list", "details"],
    icon: "star",
    url: `${app}?entity_ids={entity_ids}&entity_type={entity_type}&shared_space={shared_space}&workspace={workspace}&dialog_id={dialog_id}&octane_url={octane_url}`,
    events: true,
    dialog: "medium",
  };
  return {
    triage: { label: "Triage: a dialog with events (the demo app)", actions: [triage] },
    seed: {
      label: "The documentation's sample action (a new tab, one entity)",
      actions: [
        {
          name: "defect-details",
          title: "Defect Details",
          entity_type: ["defect"],
          views: ["list", "details"],
          icon: "rss",
          url: `${app}?entity_ids={entity_ids}&entity_type={entity_type}&shared_space={shared_space}&workspace={workspace}&user_login={user_login}&octane_url={octane_url}`,
          single_entity: true,
          events: false,
        },
        triage,
      ],
    },
    bundle: {
      label: "A bundled action (drop its folder or .zip below)",
      actions: [
        {
          name: "bundled-triage",
          title: "Triage (bundle)",
          entity_type: ["defect"],
          icon: "star",
          url: "{octane_url}/api/shared_spaces/{shared_space}/external-entity-actions/bundle/demo/index.html?entity_ids={entity_ids}&entity_type={entity_type}&shared_space={shared_space}&workspace={workspace}&dialog_id={dialog_id}&octane_url={octane_url}",
          events: true,
          dialog: "medium",
        },
      ],
    },
  };
}

const ENTITY_TYPES: { collection: string; type: string; label: string }[] = [
  { collection: "defects", type: "defect", label: "Defects" },
  { collection: "stories", type: "story", label: "User stories" },
  { collection: "features", type: "feature", label: "Features" },
];
const ROWS = 25;
const DIALOG_SIZES = { small: [480, 360], medium: [720, 520], large: [960, 680] } as const;

type Row = Record<string, unknown> & { id: string; type: string };

/** What the studio takes from the page. */
export interface StudioOptions {
  /** This Octane's shared space, workspace and user, as the page has them now. */
  settings: () => { sharedSpace: string; workspace: string; userLogin: string; userEmail: string };
  /** The app's origin ("" for the default, the next port). */
  appOrigin: string;
  /** The config to start with ("" for the gallery's first). */
  config: string;
  /** Called with the config after each edit ("" when it is the gallery's first). */
  onConfig: (text: string) => void;
}

/** The studio, built on first show. */
export class Studio {
  readonly #standIn: StandIn;
  readonly #editor: ConfigEditor;
  #actions: Action[] = [];
  #diagnostics: ActionDiagnostic[] = [];
  #apps: OpenedApp[] = [];
  #selected = new Set<string>();
  #view: "list" | "details" = "list";
  #details: string | null = null;
  #bridge: HTMLIFrameElement | null = null;
  #dialogSeq = 0;

  readonly #options: StudioOptions;

  constructor(sample: Dataset, options: StudioOptions) {
    this.#options = options;
    try {
      chosenAppOrigin = options.appOrigin ? new URL(options.appOrigin).origin : "";
    } catch {
      chosenAppOrigin = "";
    }
    const octaneUrl = `${location.origin}${base()}octane`;
    const settings = options.settings;
    this.#standIn = new StandIn(sample, octaneUrl, settings);
    this.#standIn.onChange = () => {
      this.#renderGrid();
      this.#renderRequests();
    };
    const pick = byId<HTMLSelectElement>("action-gallery");
    for (const [id, entry] of Object.entries(gallery())) pick.append(h("option", { value: id }, entry.label));
    this.#editor = createConfigEditor(byId("action-config"), options.config || this.#galleryText("triage"), () => {
      this.#configChanged();
      const text = this.#editor.text();
      options.onConfig(text === this.#galleryText("triage") ? "" : text);
    });
    pick.addEventListener("change", () => this.#editor.setText(this.#galleryText(pick.value)));
    const entity = byId<HTMLSelectElement>("grid-entity");
    for (const e of ENTITY_TYPES) entity.append(h("option", { value: e.collection }, e.label));
    entity.addEventListener("change", () => {
      this.#selected.clear();
      this.#details = null;
      this.#view = "list";
      this.#renderGrid();
    });
    byId("grid-back").addEventListener("click", () => {
      this.#view = "list";
      this.#details = null;
      this.#renderGrid();
    });
    byId("grid-clear").addEventListener("click", () => {
      if (this.#view === "details") return;
      this.#selected.clear();
      this.#renderGrid();
    });
    byId("dialog-close").addEventListener("click", () => this.#closeDialog(false));
    for (const picker of ["bundle-input", "bundle-folder"]) {
      byId<HTMLInputElement>(picker).addEventListener("change", (event) => void this.#loadBundle([...((event.target as HTMLInputElement).files ?? [])]));
    }
    const drop = byId("bundle-drop");
    drop.addEventListener("dragover", (event) => {
      event.preventDefault();
      drop.classList.add("dropping");
    });
    drop.addEventListener("dragleave", () => drop.classList.remove("dropping"));
    drop.addEventListener("drop", (event) => {
      event.preventDefault();
      drop.classList.remove("dropping");
      void this.#droppedFiles(event.dataTransfer).then((files) => this.#loadBundle(files));
    });
    addEventListener("message", (event) => this.#message(event));
    navigator.serviceWorker?.addEventListener("message", (event) => this.#workerRequest(event.data, event.ports[0]));
    this.#configChanged();
    void this.#connect();
  }

  /** Draws the grid again (after the workspace or user changed). */
  refresh(): void {
    this.#renderGrid();
  }

  #galleryText(id: string): string {
    return JSON.stringify(gallery()[id]?.actions ?? [], null, 2);
  }

  /** The stand-in's service worker on both origins, and the cookie. */
  async #connect(): Promise<void> {
    const status = byId("standin-status");
    try {
      await navigator.serviceWorker.register("./studio-sw.js", { scope: "./" });
      await navigator.serviceWorker.ready;
      document.cookie = `XSRF_COOKIE=${this.#standIn.xsrfToken}; path=/; SameSite=Lax`;
      if (appOrigin() === location.origin) {
        status.textContent = "Octane stand-in ready. Open the studio on 127.0.0.1 or localhost to run apps on a second origin.";
        status.dataset.ready = "true";
        return;
      }
      const frame = h("iframe", { src: `${appOrigin()}${base()}studio-bridge.html`, title: "Octane stand-in bridge", hidden: true, "aria-hidden": "true", tabindex: "-1" });
      this.#bridge = frame;
      document.body.append(frame);
      status.textContent = `Connecting the stand-in to ${appOrigin()}…`;
      setTimeout(() => {
        if (status.dataset.ready) return;
        status.textContent = `No app origin answers at ${appOrigin()}: serve the playground there too (\`cargo xtask playground\` does), or set the app origin above.`;
        status.className = "status error";
      }, 8000);
    } catch (error) {
      status.textContent = `The Octane stand-in could not start: ${(error as Error).message}`;
      status.className = "status error";
    }
  }

  /** A request the worker of this origin hands over. */
  async #workerRequest(data: unknown, port: MessagePort | undefined): Promise<void> {
    const request = data as { type?: string } | null;
    if (request?.type !== "octane-kit-studio-request" || !port) return;
    port.postMessage(await this.#standIn.handle(request as Parameters<StandIn["handle"]>[0]));
    this.#renderRequests();
  }

  #message(event: MessageEvent): void {
    // The bridge: requests relayed from the app's origin, and its own news.
    if (this.#bridge && event.source === this.#bridge.contentWindow) {
      if (event.origin !== appOrigin()) return;
      const data = event.data as { type?: string; reason?: string } | null;
      if (data?.type === "octane-kit-studio-request") void this.#workerRequest(data, event.ports[0]);
      else if (data?.type === "octane-kit-studio-bridge-ready") {
        const status = byId("standin-status");
        status.className = "status";
        status.textContent = `Octane stand-in ready: apps on ${appOrigin()} reach it at ${this.#standIn.octaneUrl}.`;
        status.dataset.ready = "true";
      } else if (data?.type === "octane-kit-studio-bridge-failed") {
        byId("standin-status").textContent = `The stand-in could not start on ${appOrigin()}: ${data.reason ?? ""}`;
      }
      return;
    }
    this.#event(judge(event.data, event.origin, event.source, this.#apps), event.origin);
  }

  /** Logs a judged message and, when accepted, acts on it. */
  #event(judgement: Judgement, origin: string): void {
    const accepted = judgement.accepted;
    const name = accepted ? judgement.event.name : judgement.name;
    const payload = accepted ? JSON.stringify(judgement.event.data) : "";
    const entry = h(
      "li",
      { "data-event": name, "data-accepted": String(accepted), class: accepted ? "accepted" : "refused" },
      h("strong", {}, accepted ? "accepted " : "refused "),
      h("code", {}, name),
      ` from ${origin}`,
      accepted ? h("code", { class: "payload" }, payload) : h("span", { class: "why" }, `: ${judgement.why}`),
    );
    byId("event-log").prepend(entry);
    if (!accepted) return;
    const { data } = judgement.event;
    switch (judgement.event.name) {
      case "octane_set_dialog_title": {
        const dialog = byId("action-dialog");
        dialog.dataset.title = String(data.title);
        byId("dialog-title").textContent = String(data.title);
        break;
      }
      case "octane_close_dialog":
        this.#closeDialog(data.refresh === true);
        break;
      case "octane_refresh_entity":
        this.#renderGrid(((data.entity_ids as unknown[]) ?? []).map(String));
        break;
      case "octane_refresh_list":
        this.#renderGrid();
        break;
      case "octane_display_entity":
      case "octane_select_entity":
      case "octane_entity_was_added":
        this.#showEntity(String(data.entity_type), String(data.entity_id), judgement.event.name === "octane_entity_was_added");
        break;
    }
  }

  #showEntity(type: string, id: string, added: boolean): void {
    const entity = ENTITY_TYPES.find((e) => e.type === type || kit.aggregatedType(e.type) === type);
    if (entity) byId<HTMLSelectElement>("grid-entity").value = entity.collection;
    this.#view = "details";
    this.#details = id;
    this.#selected = new Set([id]);
    this.#renderGrid();
    if (added) byId("grid-note").textContent = `Added: ${type} ${id}.`;
  }

  #configChanged(): void {
    const text = this.#editor.text();
    this.#diagnostics = kit.validateActions(text);
    const files = this.#bundleFiles();
    if (files.length > 0) this.#diagnostics.push(...kit.validateBundle(files, text));
    this.#editor.showDiagnostics(this.#diagnostics);
    const list = byId("action-diagnostics");
    list.replaceChildren(
      ...this.#diagnostics.map((d) =>
        h(
          "li",
          { class: d.severity, "data-code": d.code, "data-path": d.path },
          h("strong", {}, d.code),
          " ",
          h("code", {}, d.path || "/"),
          `: ${d.message}`,
          d.help ? h("span", { class: "help" }, ` ${d.help}`) : null,
        ),
      ),
    );
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = [];
    }
    // An action with an error of its own gets no button, as Octane would
    // not save it; an error of the whole config (at "") removes them all.
    const entries: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
    const at = (d: ActionDiagnostic) => (Array.isArray(parsed) ? d.path.split("/")[1] ?? "" : "");
    const broken = new Set(this.#diagnostics.filter((d) => d.severity === "error").map(at));
    const isAction = (a: unknown): a is Action => !!a && typeof a === "object" && typeof (a as Action).name === "string";
    this.#actions = broken.has("") ? [] : entries.filter((a, i): a is Action => isAction(a) && !broken.has(String(i)));
    this.#renderGrid();
  }

  #collection(): { collection: string; type: string } {
    const value = byId<HTMLSelectElement>("grid-entity").value;
    return ENTITY_TYPES.find((e) => e.collection === value) ?? (ENTITY_TYPES[0] as (typeof ENTITY_TYPES)[number]);
  }

  #rows(): Row[] {
    const { collection } = this.#collection();
    const query = this.#view === "details" && this.#details ? `id EQ ^${this.#details.replace(/[\\^]/g, "\\$&")}^` : "";
    return this.#standIn.dataset.query(collection, query, { limit: ROWS, orderBy: "id", fields: ["name", "severity", "phase", "owner"] }).data as Row[];
  }

  /** Draws the toolbar and the rows; `flash` marks refreshed rows. */
  #renderGrid(flash: string[] = []): void {
    const { collection, type } = this.#collection();
    const settings = this.#options.settings();
    const view = { entityType: type, aggregated: kit.aggregatedType(type), view: this.#view, workspace: settings.workspace };
    byId("grid-back").hidden = this.#view === "list";
    byId("grid-clear").hidden = this.#view === "details";
    byId("grid-view").textContent = this.#view === "list" ? `${collection}: list view` : `${type} ${this.#details ?? ""}: details view`;
    const rows = this.#rows();
    if (this.#view === "details") this.#selected = new Set(rows.map((r) => r.id));
    const toolbar = byId("grid-toolbar");
    toolbar.replaceChildren(
      ...this.#actions.map((action) => {
        const visible = shown(action, view);
        const can = enabled(action, this.#selected.size);
        const button = h(
          "button",
          {
            type: "button",
            "data-testid": "action-button",
            "data-name": action.name,
            title: visible.shown ? (can.enabled ? action.title ?? action.name : can.why) : `Not shown here: ${visible.why}`,
            class: "action-button",
          },
          h("span", { class: "icon", "aria-hidden": "true" }, action.icon ?? "•"),
          ` ${action.title ?? action.name}`,
        );
        button.hidden = !visible.shown;
        button.disabled = !can.enabled;
        button.addEventListener("click", () => this.#click(action));
        return button;
      }),
    );
    const body = byId("grid-rows");
    body.replaceChildren(
      ...rows.map((row) => {
        const box = h("input", { type: "checkbox", "aria-label": `Select ${row.id}` }) as HTMLInputElement;
        box.checked = this.#selected.has(row.id);
        box.disabled = this.#view === "details";
        box.addEventListener("change", () => {
          if (box.checked) this.#selected.add(row.id);
          else this.#selected.delete(row.id);
          this.#renderGrid();
        });
        const open = h("button", { type: "button", class: "link" }, String(row.name ?? row.id));
        open.addEventListener("click", () => this.#showEntity(type, row.id, false));
        return h(
          "tr",
          { "data-id": row.id, class: flash.includes(row.id) ? "flash" : "" },
          h("td", {}, box),
          h("td", {}, row.id),
          h("td", {}, open),
          h("td", { "data-field": "severity" }, this.#label(row.severity)),
          h("td", {}, this.#label(row.phase)),
          h("td", {}, this.#label(row.owner)),
        );
      }),
    );
  }

  /** A cell's text: a reference by its name (or id), a list node by its last word. */
  #label(value: unknown): string {
    if (value === null || value === undefined) return "";
    if (typeof value !== "object") return String(value);
    const ref = value as { name?: unknown; id?: unknown; type?: unknown };
    const id = String(ref.id ?? "");
    if (id.startsWith("list_node.")) return id.split(".").pop() ?? id;
    return String(ref.name ?? this.#standIn.nameOf(String(ref.type ?? ""), id) ?? id);
  }

  #renderRequests(): void {
    const list = byId("standin-log");
    list.replaceChildren(
      ...this.#standIn.log
        .slice(-30)
        .reverse()
        .map((r) =>
          h(
            "li",
            { "data-status": r.status, "data-method": r.method, class: r.status >= 400 ? "refused" : "accepted" },
            h("code", {}, `${r.method} ${r.path}`),
            ` → ${r.status}`,
            r.origin ? ` (from ${r.origin})` : "",
            r.reason ? h("span", { class: "why" }, `: ${r.reason}`) : null,
          ),
        ),
    );
  }

  /** A click on a button: render the URL, then open it as Octane would. */
  #click(action: Action): void {
    const settings = this.#options.settings();
    const rows = this.#rows().filter((r) => this.#selected.has(r.id));
    const dialogId = action.dialog ? `dialog-${++this.#dialogSeq}` : undefined;
    const context = {
      entities: rows.map((r) => ({ ...r, id: r.id, type: r.type })),
      sharedSpace: settings.sharedSpace,
      workspace: settings.workspace,
      userLogin: settings.userLogin,
      userEmail: settings.userEmail,
      ...(dialogId ? { dialogId } : {}),
      octaneUrl: this.#standIn.octaneUrl,
      bundleUrl: `${this.#standIn.octaneUrl}/api/shared_spaces/${settings.sharedSpace}/external-entity-actions/bundle`,
    };
    const shownUrl = byId("action-url");
    let rendered: kit.RenderedActionUrl;
    try {
      rendered = kit.renderActionUrlParts(this.#editor.text(), context, { action: action.name });
    } catch (error) {
      const first = (error as { diagnostics?: ActionDiagnostic[] }).diagnostics?.[0];
      shownUrl.replaceChildren(h("span", { class: "error" }, first ? `${first.code}: ${first.message}` : (error as Error).message));
      return;
    }
    shownUrl.replaceChildren(...markTokens(rendered));
    shownUrl.dataset.url = rendered.url;
    const origin = new URL(rendered.url).origin;
    const opened: OpenedApp = { action, window: null, origin, dialogId: dialogId ?? null, sharedSpace: settings.sharedSpace, workspace: settings.workspace };
    if (action.dialog) {
      this.#closeDialog(false);
      const [width, height] = DIALOG_SIZES[action.dialog] ?? DIALOG_SIZES.medium;
      const dialog = byId<HTMLDialogElement>("action-dialog");
      const frame = h("iframe", { src: rendered.url, title: action.title ?? action.name, width, height });
      byId("dialog-frame").replaceChildren(frame);
      dialog.dataset.title = action.title ?? action.name;
      dialog.dataset.dialogId = dialogId ?? "";
      byId("dialog-title").textContent = action.title ?? action.name;
      dialog.show();
      opened.window = frame.contentWindow;
    } else {
      // Not `noopener`: an app in a new tab posts its events to window.opener.
      opened.window = window.open(rendered.url, "_blank");
    }
    this.#apps = [...this.#apps.filter((a) => a.window && !("closed" in a.window && a.window.closed)), opened];
  }

  #closeDialog(refresh: boolean): void {
    const dialog = byId<HTMLDialogElement>("action-dialog");
    if (!dialog.open) return;
    const frame = dialog.querySelector("iframe");
    this.#apps = this.#apps.filter((a) => a.window !== frame?.contentWindow);
    byId("dialog-frame").replaceChildren();
    dialog.close();
    if (refresh) this.#renderGrid();
  }

  /** The paths of the bundle the stand-in serves. */
  #bundleFiles(): string[] {
    return [...this.#standIn.bundle.keys()].sort();
  }

  async #droppedFiles(transfer: DataTransfer | null): Promise<File[]> {
    if (!transfer) return [];
    const files: File[] = [];
    const walk = async (entry: FileSystemEntry | null, prefix: string): Promise<void> => {
      if (!entry) return;
      if (entry.isFile) {
        const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
        files.push(new File([file], prefix + entry.name, { type: file.type }));
      } else if (entry.isDirectory) {
        const reader = (entry as FileSystemDirectoryEntry).createReader();
        for (;;) {
          const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
          if (batch.length === 0) break;
          for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
        }
      }
    };
    const entries = [...transfer.items].map((item) => item.webkitGetAsEntry());
    for (const entry of entries) await walk(entry, "");
    return files.length > 0 ? files : [...transfer.files];
  }

  /** A bundle: files of a folder (their paths kept), or one .zip. */
  async #loadBundle(files: File[]): Promise<void> {
    const status = byId("bundle-status");
    const bundle = new Map<string, Blob>();
    try {
      for (const file of files) {
        if (files.length === 1 && file.name.toLowerCase().endsWith(".zip")) {
          for (const [path, blob] of await unzip(file)) bundle.set(path, blob);
        } else {
          bundle.set(file.webkitRelativePath || file.name, file);
        }
      }
    } catch (error) {
      status.textContent = `The bundle could not be read: ${(error as Error).message}`;
      return;
    }
    this.#standIn.bundle = bundle;
    const paths = this.#bundleFiles();
    status.textContent = `${paths.length} files, served under ${this.#standIn.octaneUrl}/api/shared_spaces/${this.#options.settings().sharedSpace}/external-entity-actions/bundle/`;
    byId("bundle-files").replaceChildren(...paths.map((f) => h("li", {}, h("code", {}, f))));
    this.#configChanged();
  }
}

/** The URL with each substituted value marked, its token as its title. */
function markTokens(rendered: kit.RenderedActionUrl): Node[] {
  const parts: Node[] = [];
  let at = 0;
  for (const s of rendered.substitutions) {
    if (s.start > at) parts.push(document.createTextNode(rendered.url.slice(at, s.start)));
    parts.push(h("mark", { title: `{${s.token}}`, "data-token": s.token }, rendered.url.slice(s.start, s.end)));
    at = s.end;
  }
  parts.push(document.createTextNode(rendered.url.slice(at)));
  return parts;
}


