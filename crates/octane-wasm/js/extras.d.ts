
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
