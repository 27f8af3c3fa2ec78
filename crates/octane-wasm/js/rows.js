// The page of a dataset's query result (see src/rows.rs): rows the store
// already holds are named by slot, the others come as one JSON array.

const FRESH = 0x80000000;

/** Freezes `value` and everything in it: row objects are shared. */
function freeze(value) {
  if (value !== null && typeof value === "object") {
    for (const key of Object.keys(value)) freeze(value[key]);
    Object.freeze(value);
  }
  return value;
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
  let next = 0;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    data[i] = code >= FRESH ? freeze(added[next++]) : store[code];
  }
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code >= FRESH) store[code - FRESH] = data[i];
  }
  return { total_count: totalCount, data, exceeds_total_count: false };
}
