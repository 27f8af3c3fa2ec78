// The action config's editor: CodeMirror 6 with validateActions'
// diagnostics inline (code, message, JSON path, help).
import { EditorState } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { defaultKeymap, historyKeymap } from "@codemirror/commands";
import { lintKeymap, setDiagnostics } from "@codemirror/lint";
import type { ActionDiagnostic } from "octane-kit";
import { basicEditing } from "../editor";

/** The editor, as the studio drives it. */
export interface ConfigEditor {
  readonly view: EditorView;
  text(): string;
  setText(text: string): void;
  showDiagnostics(diagnostics: ActionDiagnostic[]): void;
}

export function createConfigEditor(parent: HTMLElement, initial: string, onChange: (text: string) => void): ConfigEditor {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: initial,
      extensions: [
        ...basicEditing(),
        keymap.of([...defaultKeymap, ...historyKeymap, ...lintKeymap]),
        EditorView.contentAttributes.of({ "aria-label": "External action config (JSON)", spellcheck: "false" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    showDiagnostics(diagnostics) {
      const length = view.state.doc.length;
      view.dispatch(
        setDiagnostics(
          view.state,
          diagnostics.map((d) => ({
            from: Math.min(d.span.start, length),
            to: Math.min(Math.max(d.span.end, d.span.start), length),
            severity: d.severity,
            source: d.code,
            message: `${d.code} at ${d.path || "/"}: ${d.message}${d.help ? `\nHelp: ${d.help}` : ""}`,
          })),
        ),
      );
    },
  };
}
