"use client";

import { useActionState, useRef } from "react";
import { deleteAccountAction, type AccountFormState } from "@/lib/account/actions";
import { useFocusOnFailure } from "@/components/auth/focus-on-failure";
import { FormAlert } from "@/components/auth/form-alert";
import { TextField } from "@/components/auth/text-field";
import { reachableAction, UNREACHABLE } from "@/components/ui/reachable-action";

const deleteAccount = reachableAction(deleteAccountAction, (): AccountFormState => ({ error: UNREACHABLE }));

/** Deleting the account, confirmed with its password (or, without one, its email typed out). */
export function DeleteAccountForm({ hasPassword }: { hasPassword: boolean }) {
  const [state, action, pending] = useActionState<AccountFormState, FormData>(deleteAccount, {});
  const form = useRef<HTMLFormElement>(null);
  useFocusOnFailure(form, state);
  return (
    <form ref={form} action={action} noValidate className="max-w-sm space-y-4" aria-label="Delete account">
      <FormAlert message={state.error} />
      {hasPassword ? (
        <TextField name="password" label="Your password" type="password" autoComplete="current-password" required errors={state.fieldErrors?.password} />
      ) : (
        <TextField name="email" label="Your email address" type="email" autoComplete="off" required hint="Type it to confirm." errors={state.fieldErrors?.email} />
      )}
      <button
        type="submit"
        aria-disabled={pending}
        onClick={(e) => {
          if (pending) e.preventDefault();
        }}
        className="w-full rounded-md bg-red-700 px-4 py-2 font-semibold text-white transition hover:bg-red-600 aria-disabled:cursor-wait aria-disabled:opacity-70"
      >
        {pending ? "Deleting your account…" : "Delete my account and its data"}
      </button>
    </form>
  );
}
