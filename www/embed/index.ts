// `octane-kit/embed`: importing this module defines <octane-query>.
//
//   <script type="module">import "octane-kit/embed";</script>
//   <octane-query entity="defects" show="parenthesized,tree">severity EQ {id EQ ^list_node.severity.high^}</octane-query>
import { OctaneQueryElement } from "./octane-query";

export { OctaneQueryElement, PANELS } from "./octane-query";
export type { Panel, QueryChangeDetail } from "./octane-query";
export { configureEmbed } from "./kit";
export type { EmbedOptions } from "./kit";

// The tag's typings (HTMLElementTagNameMap) are in public.d.ts.
if (!customElements.get("octane-query")) customElements.define("octane-query", OctaneQueryElement);

