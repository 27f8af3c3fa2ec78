
/**
 * Builds a query from a tagged template. Each interpolated value becomes
 * one literal of its type (strings to ^...^ with escapes, numbers,
 * booleans, null, Dates to ISO-8601 UTC, arrays to an IN list), so no
 * value can change the query's structure. Returns the canonical query, or
 * throws a `DiagnosticsError`.
 *
 * @example octaneQuery`name EQ ${userInput};id GT ${n}`
 */
export function octaneQuery(strings: TemplateStringsArray, ...values: QueryValue[]): string;

/**
 * A small client of Octane's REST API for the app an action opened, on
 * top of `octaneFetch` (same XSRF rules). Queries are validated locally
 * and sent in canonical form, correctly encoded.
 */
export interface OctaneClientOptions extends OctaneFetchOptions {
  /** The schema queries are checked against before they are sent. */
  schema?: Schema;
}

export class OctaneClient {
  constructor(context: ActionContext, options?: OctaneClientOptions);
  /** The schema queries are checked against, if any. */
  readonly schema: Schema | undefined;
  /**
   * Reads the workspace's own metadata (`metadata/fields` and
   * `metadata/entities`, every page), makes a Schema of it, and checks
   * later queries against it: user-defined fields included.
   */
  loadSchema(): Promise<Schema>;
  /**
   * One page of a collection. Rejects with `DiagnosticsError` before
   * sending a query that does not parse (or, with a schema, does not
   * check), and with `OctaneError` when Octane answers with an error.
   */
  getCollection<T = Record<string, unknown>>(collection: string, options?: CollectionOptions): Promise<CollectionPage<T>>;
  /** Every entity of a collection, page by page until `total_count`. */
  getAll<T = Record<string, unknown>>(collection: string, options?: CollectionOptions): AsyncGenerator<T, void, undefined>;
  /** One entity by id. */
  getEntity<T = Record<string, unknown>>(collection: string, id: string | number, options?: { fields?: string[] }): Promise<T>;
  /** Creates entities (POST `{ data: [...] }`). */
  create<T = Record<string, unknown>>(collection: string, entities: object | readonly object[]): Promise<CollectionPage<T>>;
  /** Updates one entity (PUT). */
  update<T = Record<string, unknown>>(collection: string, id: string | number, fields: object): Promise<T>;
}

/**
 * Whether `error` is an `OctaneError`: what octaneFetch and OctaneClient
 * reject with when Octane answers with an error status.
 */
export function isOctaneError(error: unknown): error is OctaneError;
