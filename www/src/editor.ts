// The query editor: CodeMirror 6, coloured by the package's own lexer
// (`tokenizeQuery`), with its diagnostics inline, their repairs as quick
// fixes, and completion from `completeQuery`.
import { EditorState, RangeSetBuilder, StateEffect, StateField, type Extension } from "@codemirror/state";
import {
  Decoration,
  type DecorationSet,
  EditorView,
  ViewPlugin,
  type ViewUpdate,
  drawSelection,
  highlightActiveLine,
  keymap,
  placeholder,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { autocompletion, completionKeymap, type CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import { type Diagnostic as LintDiagnostic, lintKeymap, setDiagnostics } from "@codemirror/lint";
import type { Completion, Diagnostic, QueryToken, Span } from "octane-kit";

/** What every editor of the page has: undo, selection drawing, the active line, wrapping. */
export function basicEditing(): Extension[] {
  return [history(), drawSelection(), highlightActiveLine(), EditorView.lineWrapping];
}

/** What the editor needs from the page. */
export interface EditorHooks {
  /** The tokens of `source`, for colours. */
  tokenize(source: string): QueryToken[];
  /** Completions at `offset` (the engine answers from its worker). */
  complete(source: string, offset: number): Promise<Completion[]>;
  /** Called after every edit. */
  onChange(source: string): void;
  /** Called when the cursor or selection moves. */
  onSelection(span: Span): void;
}

/** The editor, as the page drives it. */
export interface QueryEditor {
  readonly view: EditorView;
  text(): string;
  setText(text: string): void;
  /** Selects `span` and scrolls it into view. */
  select(span: Span): void;
  /** Marks `span` (a hovered node or step), or clears the mark. */
  highlight(span: Span | null): void;
  /** Shows `diagnostics` inline; their fixes become quick fixes. */
  showDiagnostics(diagnostics: Diagnostic[]): void;
  /** Applies one repair. */
  applyFix(fix: NonNullable<Diagnostic["fix"]>): void;
}

/** The longest text coloured (UTF-16 units): a few thousand tokens at most. */
export const MAX_COLOURED = 4_096;

/** Colours from the lexer: one mark per token, by kind. */
function tokenColours(tokenize: (source: string) => QueryToken[]): Extension {
  const marks = new Map<string, Decoration>();
  const mark = (kind: string): Decoration => {
    let decoration = marks.get(kind);
    if (!decoration) {
      decoration = Decoration.mark({ class: `tok-${kind}` });
      marks.set(kind, decoration);
    }
    return decoration;
  };
  const build = (view: EditorView): DecorationSet => {
    // Past this many marks CodeMirror's redraw of one long line grows
    // with the square of their number (minutes for a hostile paste), so
    // such a text stays uncoloured; real queries are far below it.
    if (view.state.doc.length > MAX_COLOURED) return Decoration.none;
    const builder = new RangeSetBuilder<Decoration>();
    const length = view.state.doc.length;
    // Touching tokens of one kind share a mark: `((((` or `!!!!` is one
    // span in the DOM, not thousands.
    let run: { start: number; end: number; kind: string } | null = null;
    for (const token of tokenize(view.state.doc.toString())) {
      const { start, end } = token.span;
      if (end <= start || end > length) continue;
      if (run && run.kind === token.kind && run.end === start) {
        run.end = end;
        continue;
      }
      if (run) builder.add(run.start, run.end, mark(run.kind));
      run = { start, end, kind: token.kind };
    }
    if (run) builder.add(run.start, run.end, mark(run.kind));
    return builder.finish();
  };
  return ViewPlugin.fromClass(
    class {
      decorations: DecorationSet;
      constructor(view: EditorView) {
        this.decorations = build(view);
      }
      update(update: ViewUpdate): void {
        if (update.docChanged) this.decorations = build(update.view);
      }
    },
    { decorations: (plugin) => plugin.decorations },
  );
}

const setHighlight = StateEffect.define<Span | null>();
const highlightMark = Decoration.mark({ class: "cm-span-highlight" });

/** The span a hovered tree node or step stands for. */
const highlightField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(value, transaction) {
    let next = value.map(transaction.changes);
    for (const effect of transaction.effects) {
      if (!effect.is(setHighlight)) continue;
      const span = effect.value;
      const length = transaction.state.doc.length;
      next =
        span && span.end > span.start && span.end <= length
          ? Decoration.set([highlightMark.range(span.start, span.end)])
          : Decoration.none;
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

/** Colours of the editor, from the page's custom properties (light and dark alike). */
const theme = EditorView.theme({
  "&": { color: "var(--fg)", backgroundColor: "var(--editor-bg)", fontSize: "15px" },
  ".cm-content": { fontFamily: "var(--mono)", caretColor: "var(--fg)", padding: "8px 0" },
  ".cm-scroller": { fontFamily: "var(--mono)", lineHeight: "1.6" },
  "&.cm-focused": { outline: "2px solid var(--focus)", outlineOffset: "1px" },
  ".cm-activeLine": { backgroundColor: "var(--active-line)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": { backgroundColor: "var(--selection) !important" },
  ".cm-tooltip": { backgroundColor: "var(--panel)", color: "var(--fg)", border: "1px solid var(--border)" },
  ".cm-tooltip-autocomplete ul li[aria-selected]": { backgroundColor: "var(--accent)", color: "var(--accent-fg)" },
  ".cm-diagnostic": { fontFamily: "var(--sans)", whiteSpace: "pre-wrap", maxWidth: "36rem" },
});

/**
 * Typing over (or deleting) a large selection is applied here instead of
 * by the browser: Chrome's own editing lays the page out once per DOM
 * node it removes, seconds for a few thousand characters of tokens.
 */
const replaceLargeSelections = EditorView.domEventHandlers({
  beforeinput(event, view) {
    const { from, to } = view.state.selection.main;
    if (to - from < 256 || view.composing || view.state.selection.ranges.length > 1) return false;
    let insert: string;
    if (event.inputType === "insertText" || event.inputType === "insertReplacementText") insert = event.data ?? "";
    else if (event.inputType.startsWith("delete")) insert = "";
    else return false;
    event.preventDefault();
    view.dispatch({
      changes: { from, to, insert },
      selection: { anchor: from + insert.length },
      userEvent: insert ? "input.type" : "delete.selection",
      scrollIntoView: true,
    });
    return true;
  },
});

/** Creates the editor in `parent`. */
export function createQueryEditor(parent: HTMLElement, initial: string, hooks: EditorHooks): QueryEditor {
  const completionSource = async (context: CompletionContext): Promise<CompletionResult | null> => {
    const source = context.state.doc.toString();
    const items = await hooks.complete(source, context.pos);
    // Typed on while the engine answered: CodeMirror asks again.
    if (context.aborted || items.length === 0) return null;
    const from = Math.min(...items.map((item) => item.replace.start));
    const typed = source.slice(from, context.pos);
    if (!context.explicit && typed === "" && !/[\s;(|!{]$/.test(source.slice(0, context.pos))) return null;
    return {
      from,
      filter: false,
      options: items.map((item, rank) => ({
        label: item.label,
        detail: item.detail,
        type: item.kind === "field" ? "property" : item.kind === "operator" ? "keyword" : item.kind === "value" ? "constant" : "text",
        boost: -rank,
        apply: (view: EditorView) => {
          view.dispatch({
            changes: { from: item.replace.start, to: item.replace.end, insert: item.insert },
            selection: { anchor: item.replace.start + item.insert.length },
            userEvent: "input.complete",
          });
        },
      })),
    };
  };

  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: initial,
      extensions: [
        ...basicEditing(),
        placeholder("Type a query, such as name EQ ^Login*^;id GT 5"),
        EditorView.contentAttributes.of({ "aria-label": "Query statement", spellcheck: "false", autocapitalize: "off" }),
        tokenColours(hooks.tokenize),
        replaceLargeSelections,
        highlightField,
        autocompletion({ override: [completionSource], icons: false }),
        keymap.of([...completionKeymap, ...lintKeymap, ...historyKeymap, ...defaultKeymap]),
        theme,
        EditorView.updateListener.of((update) => {
          if (update.docChanged) hooks.onChange(update.state.doc.toString());
          if (update.docChanged || update.selectionSet) {
            const { from, to } = update.state.selection.main;
            parent.dataset.selectionStart = String(from);
            parent.dataset.selectionEnd = String(to);
            hooks.onSelection({ start: from, end: to });
          }
        }),
      ],
    }),
  });

  const applyFix = (fix: NonNullable<Diagnostic["fix"]>): void => {
    if (fix.span.end > view.state.doc.length) return;
    view.dispatch({
      changes: { from: fix.span.start, to: fix.span.end, insert: fix.replacement },
      userEvent: "input.fix",
    });
  };

  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: { anchor: text.length } });
    },
    select(span) {
      const length = view.state.doc.length;
      if (span.end > length) return;
      view.dispatch({ selection: { anchor: span.start, head: span.end }, scrollIntoView: true });
    },
    highlight(span) {
      view.dispatch({ effects: setHighlight.of(span) });
    },
    showDiagnostics(diagnostics) {
      const length = view.state.doc.length;
      const inline: LintDiagnostic[] = diagnostics.map((d) => ({
        from: Math.min(d.span.start, length),
        to: Math.min(d.span.end, length),
        severity: d.severity,
        source: d.code,
        message: d.help ? `${d.message}\nhelp: ${d.help}` : d.message,
        actions: d.fix
          ? [{ name: d.fix.replacement === "" ? "Remove it" : `Replace with ${d.fix.replacement}`, apply: () => applyFix(d.fix!) }]
          : [],
      }));
      view.dispatch(setDiagnostics(view.state, inline));
    },
    applyFix,
  };
}
