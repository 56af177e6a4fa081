"use client";

import { useActionState, useEffect, useRef } from "react";
import { changePasswordAction, type AccountFormState } from "@/lib/account/actions";
import { useFocusOnFailure } from "@/components/auth/focus-on-failure";
import { FormAlert } from "@/components/auth/form-alert";
import { SubmitButton } from "@/components/auth/submit-button";
import { NewPasswordField, TextField } from "@/components/auth/text-field";
import { reachableAction, UNREACHABLE } from "@/components/ui/reachable-action";

const changePassword = reachableAction(changePasswordAction, (): AccountFormState => ({ error: UNREACHABLE }));

export const PASSWORD_CHANGED = "Password changed, and every other device signed out. Use the new one next time you sign in.";

/** `changed`: the page came back from a password change (?password=changed) and says so. */
export function ChangePasswordForm({ changed = false }: { changed?: boolean }) {
  const [state, action, pending] = useActionState<AccountFormState, FormData>(changePassword, changed ? { done: PASSWORD_CHANGED } : {});
  const form = useRef<HTMLFormElement>(null);
  useFocusOnFailure(form, state);
  // a changed password leaves no password in the fields
  useEffect(() => {
    if (state.done) form.current?.reset();
  }, [state]);
  return (
    <form ref={form} action={action} noValidate className="max-w-sm space-y-4" aria-label="Change password">
      <FormAlert message={state.error} />
      {state.done && (
        <p role="status" className="rounded-md bg-emerald-500/10 px-3 py-2 text-sm text-emerald-200 ring-1 ring-emerald-400/30">
          {state.done}
        </p>
      )}
      <TextField name="currentPassword" label="Current password" type="password" autoComplete="current-password" required errors={state.fieldErrors?.currentPassword} />
      <NewPasswordField name="newPassword" label="New password" errors={state.fieldErrors?.newPassword} />
      <SubmitButton pending={pending} label="Change password" pendingLabel="Changing password…" />
    </form>
  );
}
