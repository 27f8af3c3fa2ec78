
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

/** `<collection>/<id>?...`: the id checked to be one path segment. */
function entityPath(collection, id, options) {
  return collectionPath(collection, { ...options, id });
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

  /** The schema queries are checked against, if any. */
  get schema() {
    return this.options.schema;
  }

  /** Every item of a metadata resource, page after page. */
  async #everything(path) {
    const first = await this.#json(path);
    const data = [...first.data];
    while (data.length < first.total_count) {
      const page = await this.#json(`${path}?offset=${data.length}`);
      if (page.data.length === 0) break;
      data.push(...page.data);
    }
    return { data, total_count: data.length };
  }

  /** Reads the workspace's metadata into a Schema that later queries are checked against. */
  async loadSchema() {
    const [fields, entities] = await Promise.all([this.#everything("metadata/fields"), this.#everything("metadata/entities")]);
    const schema = Schema.fromMetadata(fields, entities);
    this.options = { ...this.options, schema };
    return schema;
  }

  async #json(path, init) {
    // The schema is the client's own; the rest are octaneFetch's options.
    const { schema: _, ...fetchOptions } = this.options;
    const response = await octaneFetch(this.context, path, init, fetchOptions);
    return response.json();
  }

  // The methods are async so that every failure, a query refused before
  // sending included, arrives as a rejection.

  /** One page of a collection: `{ data, total_count }`. */
  async getCollection(collection, options = {}) {
    return this.#json(collectionPath(collection, { schema: this.options.schema, ...options }));
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
  async getEntity(collection, id, options = {}) {
    return this.#json(entityPath(collection, id, { fields: options.fields }));
  }

  /** Creates entities: POST `{ data: [...] }`. */
  async create(collection, entities) {
    const data = Array.isArray(entities) ? entities : [entities];
    return this.#json(collectionPath(collection, {}), { method: "POST", body: { data } });
  }

  /** Updates one entity: PUT its fields. */
  async update(collection, id, fields) {
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
