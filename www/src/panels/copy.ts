// Copy as: each form of the query (computed by the engine, see forms.ts)
// with a button that copies it.
import { h, copyText } from "../dom";
import type { CopyForm } from "../engine/protocol";

/** Fills `list` with one entry per form. */
export function showCopyAs(list: HTMLElement, forms: CopyForm[]): void {
  list.replaceChildren(
    ...forms.flatMap(({ title, testid, text, ok }) => {
      const button = h("button", { type: "button", class: "ghost small", disabled: !ok, "aria-label": `Copy the ${title}` }, "Copy");
      button.addEventListener("click", () => void copyText(text, button));
      return [
        h("dt", {}, title, button),
        h("dd", {}, h("pre", { class: ok ? "code" : "code refused", "data-testid": testid }, text)),
      ];
    }),
  );
}
