// The page of a dataset's query result (see src/rows.rs): rows the store
// already holds are named by slot, the others come as one JSON array.

const FRESH = 0x80000000;

/**
 * Freezes the object `value` and every object in it: row objects are
 * shared. `for...in` is about twice as fast as `Object.keys` here, but also
 * visits what a page's script may have added, enumerable, to
 * `Object.prototype` or `Array.prototype`: see `plain`.
 */
function freeze(value) {
  for (const key in value) {
    const member = value[key];
    if (member !== null && typeof member === "object") freeze(member);
  }
  return Object.freeze(value);
}

/** The same, by own keys only. */
function freezeOwn(value) {
  for (const key of Object.keys(value)) {
    const member = value[key];
    if (member !== null && typeof member === "object") freezeOwn(member);
  }
  return Object.freeze(value);
}

/** Whether `for...in` visits only own members (no prototype has enumerable ones). */
function plain() {
  for (const _ in {}) return false;
  for (const _ in []) return false;
  return true;
}

/**
 * The result `{total_count, data, exceeds_total_count}`: for each code, the
 * store's object in that slot, or the next of the `fresh` JSON array's
 * objects, which then takes the slot. Every slot a code reads is read
 * before any is filled.
 */
export function pageOf(store, codes, fresh, totalCount) {
  const added = fresh === "[]" ? [] : JSON.parse(fresh);
  const data = new Array(codes.length);
  const deep = plain() ? freeze : freezeOwn;
  let next = 0;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    data[i] = code >= FRESH ? deep(added[next++]) : store[code];
  }
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code >= FRESH) store[code - FRESH] = data[i];
  }
  return { total_count: totalCount, data, exceeds_total_count: false };
}
