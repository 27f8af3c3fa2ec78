// embed.html: one <octane-query> for sites that can only embed an iframe.
// The hash is the workbench's (`#entity=defects&q=...`); the query string
// may set `show` (panels), `editable=false` and `theme`.
import "octane-kit/embed";
import { readHash } from "../src/state";

const element = document.querySelector("octane-query");
if (element) {
  const apply = () => {
    const state = readHash(location.hash);
    const params = new URLSearchParams(location.search);
    element.entity = state.entity;
    element.query = state.query;
    element.show = params.get("show") ?? "parenthesized,tree,results";
    element.editable = params.get("editable") !== "false";
    const theme = params.get("theme");
    element.theme = theme === "light" || theme === "dark" ? theme : null;
  };
  apply();
  addEventListener("hashchange", apply);
}
