// The typings of `octane-kit/embed` as the package ships them (embed.d.ts).
import type { Diagnostic } from "./octane_kit_app.js";

/** The panels an element can show, in the order they appear. */
export declare const PANELS: readonly ["parenthesized", "canonical", "steps", "tree", "results"];
/** One of `PANELS`. */
export type Panel = (typeof PANELS)[number];

/** `detail` of the `query-change` event. */
export interface QueryChangeDetail {
  query: string;
  entity: string;
  /** Whether the query parses and validates without errors. */
  valid: boolean;
  diagnostics: Diagnostic[];
}

/** Where the modules' `.wasm` files are; by default beside the modules. */
export interface EmbedOptions {
  /** The `.wasm` of `octane-kit/app`. */
  appWasm?: string | URL;
  /** The `.wasm` of `octane-kit` (loaded only for results). */
  fullWasm?: string | URL;
}

/** Sets where the `.wasm` files are. Call it before the first element connects. */
export declare function configureEmbed(options: EmbedOptions): void;

/**
 * `<octane-query entity="defects" query="..." show="parenthesized,tree,results" editable playground="...">`:
 * a live example of an Octane query. Each attribute is reflected by the
 * property of the same name. Events: `query-change` (a
 * `CustomEvent<QueryChangeDetail>`, after each edit) and `ready`.
 */
export declare class OctaneQueryElement extends HTMLElement {
  static readonly observedAttributes: readonly string[];
  /** The query shown (the `query` attribute, else the element's text). */
  query: string;
  /** The entity the query is on (`defects` by default). */
  entity: string;
  /** The panels shown: a comma-separated list of `PANELS`. */
  show: string;
  /** Whether the reader may edit the query. */
  editable: boolean;
  /** The workbench's URL, or `null` for no "Open in playground" link. */
  playground: string | null;
  /** `light`, `dark`, or `null` to follow the page. */
  theme: string | null;
  /** The result rows listed at most (5 by default). */
  limit: number;
  /** The panels `show` names that exist, in display order. */
  readonly panels: Panel[];
  connectedCallback(): void;
  disconnectedCallback(): void;
  attributeChangedCallback(name: string, old: string | null, value: string | null): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "octane-query": OctaneQueryElement;
  }
  interface HTMLElementEventMap {
    "query-change": CustomEvent<QueryChangeDetail>;
  }
}
