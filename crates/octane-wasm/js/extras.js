
// ---- Hand-written additions (crates/octane-wasm/js/extras.js) ----

/**
 * Builds a query from a tagged template. Each interpolated value becomes
 * one literal of its type (strings to ^...^ with escapes, numbers,
 * booleans, null, Dates to ISO-8601 UTC, arrays to an IN list), so no
 * value can change the query's structure. Returns the canonical query, or
 * throws an Error carrying `diagnostics`.
 *
 *     octaneQuery`name EQ ${userInput};id GT ${n}`
 */
export function octaneQuery(strings, ...values) {
  return buildQuery(Array.from(strings), values);
}

/** `<collection>/<id>?...`, the id encoded as one path segment. */
function entityPath(collection, id, options) {
  const [path, query] = collectionPath(collection, options).split("?");
  const entity = `${path}/${encodeURIComponent(String(id))}`;
  return query ? `${entity}?${query}` : entity;
}

/**
 * A small client of Octane's REST API for the app an action opened, on
 * top of octaneFetch (same XSRF rules). Queries are validated locally and
 * sent in canonical form, correctly encoded.
 */
export class OctaneClient {
  constructor(context, options = {}) {
    this.context = context;
    this.options = options;
  }

  async #json(path, init) {
    const response = await octaneFetch(this.context, path, init, this.options);
    return response.json();
  }

  /** One page of a collection: `{ data, total_count }`. */
  getCollection(collection, options = {}) {
    return this.#json(collectionPath(collection, options));
  }

  /** Every entity of a collection, page by page until `total_count`. */
  async *getAll(collection, options = {}) {
    const limit = options.limit ?? 100;
    let offset = options.offset ?? 0;
    for (;;) {
      const page = await this.getCollection(collection, { ...options, limit, offset });
      yield* page.data;
      offset += page.data.length;
      if (page.data.length === 0 || offset >= page.total_count) return;
    }
  }

  /** One entity by id. */
  getEntity(collection, id, options = {}) {
    return this.#json(entityPath(collection, id, { fields: options.fields }));
  }

  /** Creates entities: POST `{ data: [...] }`. */
  create(collection, entities) {
    const data = Array.isArray(entities) ? entities : [entities];
    return this.#json(collectionPath(collection, {}), { method: "POST", body: { data } });
  }

  /** Updates one entity: PUT its fields. */
  update(collection, id, fields) {
    return this.#json(entityPath(collection, id, {}), { method: "PUT", body: fields });
  }
}

/**
 * Whether `error` is an `OctaneError`: what octaneFetch and OctaneClient
 * reject with when Octane answers with an error status.
 */
export function isOctaneError(error) {
  return error instanceof Error && error.name === "OctaneError" && typeof error.status === "number";
}
