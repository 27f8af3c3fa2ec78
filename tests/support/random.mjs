// One seeded generator for every test that draws random input, so that a
// failure names a seed that reproduces it.

/** A generator of numbers in [0, 1) from `seed` (a 31-bit LCG). */
export function seeded(seed) {
  let state = seed >>> 0;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}
