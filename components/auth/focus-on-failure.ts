import { useEffect, type RefObject } from "react";

/**
 * After a failed submit, put focus back in the form: on the first field marked invalid, else on
 * the first field. The submit button is disabled while the action runs, so focus would otherwise
 * fall to <body>, and a keyboard user would start again from the top of the page (and, with only
 * field errors, a screen reader would not hear that anything went wrong).
 */
export function useFocusOnFailure(form: RefObject<HTMLFormElement | null>, state: { error?: string; fieldErrors?: Record<string, string[]> }) {
  useEffect(() => {
    if (!state.error && !state.fieldErrors) return;
    const el = form.current?.querySelector<HTMLInputElement>("input[aria-invalid=true]") ?? form.current?.querySelector<HTMLInputElement>("input:not([type=hidden])");
    el?.focus();
  }, [form, state]);
}
