/**
 * The decision of the Restricted Mode gate, apart from vscode so that unit tests drive it with
 * either answer (inside a test host VS Code refuses to show the modal question, so no in-host
 * test can click it; test/host-restricted/ runs the extension in a really untrusted workspace
 * and checks that every fit asks and nothing runs). src/host/trust.ts wires it to the prompt.
 */

/** The buttons of the Restricted Mode question. */
export const RUN_ONCE = 'Run Once';
export const MANAGE_TRUST = 'Manage Workspace Trust';
export type RestrictedModeAnswer = typeof RUN_ONCE | typeof MANAGE_TRUST | undefined;

export interface RestrictedModeUi {
  /** The modal question; undefined when dismissed. */
  ask(): Promise<RestrictedModeAnswer>;
  /** Open the trust editor (the user chose to manage trust instead of running). */
  manageTrust(): void;
}

/**
 * True when the fit may run: a trusted workspace runs without asking; in Restricted Mode only
 * "Run Once" runs; "Manage Workspace Trust" opens the trust editor and runs nothing now.
 */
export async function mayRun(isTrusted: boolean, ui: RestrictedModeUi): Promise<boolean> {
  if (isTrusted) return true;
  const answer = await ui.ask();
  if (answer === MANAGE_TRUST) ui.manageTrust();
  return answer === RUN_ONCE;
}
