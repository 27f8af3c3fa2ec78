// The action studio's stand-in for Octane's REST API: the sample
// workspace, queried through the evaluator and changed by POST and PUT,
// answering with Octane's response and error shapes. It sees requests as
// the service worker hands them over (studio-sw.js).
import * as kit from "octane-kit";
import type { Dataset } from "octane-kit";

/** A request as the service worker passes it on. */
export interface StandInRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body: string | null;
  /** The origin of the page that made the request (null for a navigation). */
  origin: string | null;
}

/** What the service worker answers with. */
export interface StandInResponse {
  status: number;
  headers: [string, string][];
  body: string | Blob;
}

/** One request the stand-in served, for the studio's log. */
export interface Served {
  method: string;
  path: string;
  status: number;
  origin: string | null;
  /** Why a request was refused. */
  reason?: string;
}

type Row = Record<string, unknown> & { id: string; type: string };

const JSON_HEADERS: [string, string][] = [["Content-Type", "application/json"]];

/** Octane's error body. The error codes are the stand-in's: Octane's own are not documented for every case. */
function error(status: number, code: string, description: string, business = false): StandInResponse {
  const body: Record<string, unknown> = {
    error_code: code,
    correlation_id: `studio-${Math.random().toString(16).slice(2, 10)}`,
    description,
    description_translated: description,
    properties: null,
  };
  if (business) body.business_error = true;
  return { status, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

const ok = (value: unknown, status = 200): StandInResponse => ({ status, headers: JSON_HEADERS, body: JSON.stringify(value) });

/** The singular entity type of each collection (`defects` → `defect`). */
function typeOf(collection: string, rows: Row[]): string {
  return rows[0]?.type ?? collection.replace(/ies$/, "y").replace(/s$/, "");
}

export class StandIn {
  readonly #collections: Record<string, Row[]>;
  #dataset: Dataset;
  #dirty = false;
  /** The token the stand-in set as `XSRF_COOKIE`; writes must send it back. */
  readonly xsrfToken = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("");
  /** Bundled files, by path inside the bundle (`demo/index.html`). */
  bundle = new Map<string, Blob>();
  readonly log: Served[] = [];
  /** Called after every write, with the entity type and ids changed. */
  onChange: (entityType: string, ids: string[]) => void = () => {};

  constructor(
    sample: Dataset,
    /** `{octane_url}`: the stand-in answers below it. */
    readonly octaneUrl: string,
    readonly workspace: () => { sharedSpace: string; workspace: string },
  ) {
    this.#collections = {};
    for (const { name } of sample.collections()) this.#collections[name] = structuredClone(sample.query(name, "", { limit: 2000 }).data) as Row[];
    this.#dataset = sample;
  }

  /** The name of entity `id` of `type` (a user's full name), if the workspace has it. */
  nameOf(type: string, id: string): string | undefined {
    for (const rows of Object.values(this.#collections)) {
      if (rows[0]?.type !== type) continue;
      const row = rows.find((r) => r.id === id);
      const name = row?.full_name ?? row?.name;
      return typeof name === "string" ? name : undefined;
    }
    return undefined;
  }

  /** The dataset as the last write left it. */
  get dataset(): Dataset {
    if (this.#dirty) {
      this.#dataset = kit.Dataset.fromJson(this.#collections);
      this.#dirty = false;
    }
    return this.#dataset;
  }

  /** Answers one request, and logs it. */
  async handle(request: StandInRequest): Promise<StandInResponse> {
    const url = new URL(request.url);
    const octane = new URL(this.octaneUrl);
    const path = url.pathname.slice(octane.pathname.replace(/\/$/, "").length);
    if (url.origin !== octane.origin) {
      const response = error(502, "platform.not_found", `${url.origin} is not this Octane (${octane.origin}).`);
      this.log.push({ method: request.method, path: url.href, status: response.status, origin: request.origin, reason: "another origin" });
      return response;
    }
    let response: StandInResponse;
    let reason: string | undefined;
    try {
      [response, reason] = await this.#route(request, url, path);
    } catch (caught) {
      const first = (caught as { diagnostics?: { message: string }[] }).diagnostics?.[0];
      response = error(400, "platform.invalid_request", first?.message ?? (caught as Error).message);
    }
    this.log.push({ method: request.method, path: path + url.search, status: response.status, origin: request.origin, ...(reason ? { reason } : {}) });
    return response;
  }

  async #route(request: StandInRequest, url: URL, path: string): Promise<[StandInResponse, string?]> {
    const { sharedSpace, workspace } = this.workspace();
    const bundle = new RegExp(`^/api/shared_spaces/([^/]+)/external-entity-actions/bundle/(.+)$`).exec(path);
    if (bundle) {
      if (bundle[1] !== sharedSpace) return [error(404, "platform.not_found", `No shared space ${bundle[1]}.`)];
      const file = this.bundle.get(decodeURIComponent(bundle[2] ?? ""));
      if (!file) return [error(404, "platform.not_found", `The bundle has no file ${bundle[2]}.`)];
      return [{ status: 200, headers: [["Content-Type", mimeType(bundle[2] ?? "")]], body: file }];
    }
    const api = /^\/api\/shared_spaces\/([^/]+)\/workspaces\/([^/]+)\/(.+)$/.exec(path);
    if (!api) return [error(404, "platform.not_found", `No resource at ${path}.`)];
    if (api[1] !== sharedSpace || api[2] !== workspace) {
      return [error(404, "platform.not_found", `No workspace ${api[2]} in shared space ${api[1]}: this Octane has ${workspace} in ${sharedSpace}.`)];
    }
    const rest = (api[3] ?? "").split("/").map(decodeURIComponent);
    const write = !["GET", "HEAD", "OPTIONS"].includes(request.method);
    if (write) {
      const sent = request.headers.find(([name]) => name.toLowerCase() === "xsrf-header")?.[1];
      if (sent !== this.xsrfToken) {
        const reason = sent === undefined ? "no XSRF-HEADER" : "XSRF-HEADER does not match XSRF_COOKIE";
        return [error(403, "platform.xsrf_validation_failed", `The request was refused: ${reason}. Octane refuses writes whose XSRF-HEADER is not the XSRF_COOKIE it set.`), reason];
      }
    }
    if (rest[0] === "metadata" && request.method === "GET") return [this.#metadata(rest[1] ?? "")];
    const [collection, id, extra] = rest;
    if (!collection || extra !== undefined) return [error(404, "platform.not_found", `No resource at ${path}.`)];
    const rows = this.#collections[collection];
    if (!rows) return [error(404, "platform.not_found", `No collection ${collection} in this workspace.`)];
    switch (request.method) {
      case "GET":
        return [id === undefined ? this.#collection(collection, url) : this.#entity(collection, rows, id, url)];
      case "POST":
        if (id !== undefined) break;
        return [this.#create(collection, rows, request.body)];
      case "PUT":
        return [this.#update(collection, rows, id, request.body)];
    }
    return [error(405, "platform.method_not_allowed", `${request.method} is not supported on ${collection}${id ? "/" + id : ""} by the stand-in.`)];
  }

  #collection(collection: string, url: URL): StandInResponse {
    const params = url.searchParams;
    // Octane's query parameter is the statement in double quotes.
    const query = (params.get("query") ?? "").replace(/^"(.*)"$/s, "$1");
    const number = (name: string) => (params.has(name) ? Number(params.get(name)) : undefined);
    const fields = params.get("fields")?.split(",").filter(Boolean);
    const result = this.dataset.query(collection, query, {
      ...(params.get("order_by") ? { orderBy: params.get("order_by") ?? "" } : {}),
      ...(number("limit") !== undefined ? { limit: number("limit") } : {}),
      ...(number("offset") !== undefined ? { offset: number("offset") } : {}),
      ...(fields ? { fields } : {}),
    });
    return ok({ ...result, exceeds_total_count: false });
  }

  #entity(collection: string, rows: Row[], id: string, url: URL): StandInResponse {
    const row = rows.find((r) => r.id === id);
    if (!row) return error(404, "platform.entity_not_found", `No ${typeOf(collection, rows)} with id ${id}.`, true);
    const fields = url.searchParams.get("fields")?.split(",").filter(Boolean);
    if (!fields) return ok(row);
    return ok(Object.fromEntries(Object.entries(row).filter(([key]) => key === "id" || key === "type" || fields.includes(key))));
  }

  #create(collection: string, rows: Row[], body: string | null): StandInResponse {
    const items = entities(body);
    if (!items) return error(400, "platform.invalid_request", `POST ${collection} takes {"data": [entities]}.`);
    const type = typeOf(collection, rows);
    let next = Math.max(0, ...rows.map((r) => Number(r.id)).filter(Number.isFinite)) + 1;
    const created = items.map((item) => ({ ...item, id: String(next++), type }) as Row);
    rows.push(...created);
    this.#changed(type, created.map((r) => r.id));
    return ok({ data: created, total_count: created.length }, 201);
  }

  #update(collection: string, rows: Row[], id: string | undefined, body: string | null): StandInResponse {
    let changes: Record<string, unknown>[];
    if (id !== undefined) {
      const one = parse(body);
      if (!one || typeof one !== "object" || Array.isArray(one)) return error(400, "platform.invalid_request", `PUT ${collection}/${id} takes the fields to change as an object.`);
      changes = [{ ...(one as Record<string, unknown>), id }];
    } else {
      const items = entities(body);
      if (!items || items.some((item) => item.id === undefined)) return error(400, "platform.invalid_request", `PUT ${collection} takes {"data": [entities with their id]}.`);
      changes = items;
    }
    const updated: Row[] = [];
    for (const change of changes) {
      const row = rows.find((r) => r.id === String(change.id));
      if (!row) return error(404, "platform.entity_not_found", `No ${typeOf(collection, rows)} with id ${String(change.id)}.`, true);
      const { id: _, type: __, ...fields } = change;
      Object.assign(row, fields);
      updated.push(row);
    }
    this.#changed(typeOf(collection, rows), updated.map((r) => r.id));
    return ok(id !== undefined ? updated[0] : { data: updated, total_count: updated.length });
  }

  #changed(type: string, ids: string[]): void {
    this.#dirty = true;
    this.onChange(type, ids);
  }

  /** `metadata/fields` and `metadata/entities` of the built-in schema, in Octane's shapes. */
  #metadata(resource: string): StandInResponse {
    const schema = kit.Schema.builtin();
    try {
      const entities = schema.entities();
      if (resource === "entities") {
        const data = entities.map((e) => ({
          type: "entity_metadata",
          name: e.name,
          label: e.label,
          features: [
            ...(e.collection ? [{ name: "rest", url: e.collection, methods: ["GET", "POST", "PUT", "DELETE"] }] : []),
            ...(e.subtypeOf ? [{ name: "subtype_of", type: e.subtypeOf }] : []),
          ],
        }));
        return ok({ data, total_count: data.length });
      }
      if (resource === "fields") {
        const data = entities.flatMap((e) =>
          schema.fields(e.name).map((f) => ({
            type: "field_metadata",
            name: f.name,
            entity_name: e.name,
            label: f.label,
            field_type: f.type,
            field_type_data: f.type === "reference" ? { multiple: f.multiple, targets: f.targets.map((t) => ({ type: t })) } : null,
            filterable: f.filterable,
            sortable: f.sortable,
            required: f.required,
            is_user_defined: f.userDefined,
          })),
        );
        return ok({ data, total_count: data.length });
      }
      return error(404, "platform.not_found", `No metadata resource ${resource}.`);
    } finally {
      schema.free();
    }
  }
}

function parse(body: string | null): unknown {
  try {
    return body ? JSON.parse(body) : undefined;
  } catch {
    return undefined;
  }
}

/** `{"data": [...]}`'s entities, or undefined. */
function entities(body: string | null): Record<string, unknown>[] | undefined {
  const value = parse(body) as { data?: unknown } | undefined;
  if (!value || !Array.isArray(value.data) || !value.data.every((e) => e && typeof e === "object")) return undefined;
  return value.data as Record<string, unknown>[];
}

function mimeType(path: string): string {
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  const types: Record<string, string> = {
    html: "text/html; charset=utf-8",
    htm: "text/html; charset=utf-8",
    js: "text/javascript",
    mjs: "text/javascript",
    css: "text/css",
    json: "application/json",
    svg: "image/svg+xml",
    png: "image/png",
    wasm: "application/wasm",
  };
  return types[ext] ?? "application/octet-stream";
}
