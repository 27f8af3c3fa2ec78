// What a call of the package gave: its value, or the located diagnostics
// of the error it threw (a DiagnosticsError carries them).
import type { Diagnostic } from "octane-kit";

/** A call's value, or why it has none. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; diagnostics: Diagnostic[]; message: string };

/** Runs `call`, keeping a thrown error's diagnostics. */
export function attempt<T>(call: () => T): Outcome<T> {
  try {
    return { ok: true, value: call() };
  } catch (error) {
    const diagnostics = (error as { diagnostics?: Diagnostic[] }).diagnostics ?? [];
    return { ok: false, diagnostics, message: (error as Error).message ?? String(error) };
  }
}

/** The first error of a refusal (or its first diagnostic). */
export function firstProblem(outcome: { diagnostics: Diagnostic[] }): Diagnostic | undefined {
  return outcome.diagnostics.find((d) => d.severity === "error") ?? outcome.diagnostics[0];
}

/** Puts a string outcome in `output`: the value, or every diagnostic's frame. */
export function showOutcome(output: HTMLElement, outcome: Outcome<string>): void {
  output.textContent = outcome.ok ? outcome.value : outcome.diagnostics.map((d) => d.rendered).join("\n") || outcome.message;
  output.className = outcome.ok ? "code" : "code refused";
}
