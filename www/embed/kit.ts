// The modules behind every <octane-query> of a page, each loaded once:
// the app entry (parse, explain, tokenize, validate) as soon as an element
// connects, the full entry (the evaluator and the sample workspace) only
// when an element shows results.
import initApp, * as app from "octane-kit/app";
import type * as full from "octane-kit";

/** Where the modules' `.wasm` files are; by default beside the modules. */
export interface EmbedOptions {
  /** The `.wasm` of `octane-kit/app`. */
  appWasm?: string | URL;
  /** The `.wasm` of `octane-kit` (loaded only for results). */
  fullWasm?: string | URL;
}

const options: EmbedOptions = {};
let appReady: Promise<typeof app> | undefined;
let sample: Promise<{ kit: typeof full; dataset: full.Dataset }> | undefined;

/**
 * Sets where the `.wasm` files are, for pages that serve them elsewhere.
 * Call it before the first element connects.
 */
export function configureEmbed(given: EmbedOptions): void {
  Object.assign(options, given);
}

/** The app entry, initialised: one fetch of its `.wasm` per page. */
export function loadApp(): Promise<typeof app> {
  appReady ??= initApp(options.appWasm ? { module_or_path: options.appWasm } : undefined).then(() => app);
  return appReady;
}

/** The full entry and its sample workspace, made once per page. */
export function loadSample(): Promise<{ kit: typeof full; dataset: full.Dataset }> {
  sample ??= import("octane-kit").then(async (kit) => {
    await kit.default(options.fullWasm ? { module_or_path: options.fullWasm } : undefined);
    return { kit, dataset: kit.Dataset.sample() };
  });
  return sample;
}
