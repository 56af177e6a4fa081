"use client";

import { useActionState } from "react";
import { signOutEverywhereAction, type AccountFormState } from "@/lib/account/actions";
import { FormAlert } from "@/components/auth/form-alert";
import { reachableAction } from "@/components/ui/reachable-action";

const signOutEverywhere = reachableAction(signOutEverywhereAction, (): AccountFormState => ({ error: "Couldn't reach Matinee. Check your connection and try again." }));

/** One button: every session of the account ends, this one too (then the sign-in page). */
export function SignOutEverywhereForm() {
  const [state, action, pending] = useActionState<AccountFormState, FormData>(signOutEverywhere, {});
  return (
    <form action={action} className="max-w-sm space-y-4" aria-label="Sign out of every device">
      <FormAlert message={state.error} />
      <button
        type="submit"
        aria-disabled={pending}
        onClick={(e) => {
          if (pending) e.preventDefault();
        }}
        className="rounded-md px-4 py-2 text-sm font-semibold text-zinc-100 ring-1 ring-white/15 transition hover:bg-ink-800 aria-disabled:cursor-wait aria-disabled:opacity-70"
      >
        {pending ? "Signing out everywhere…" : "Sign out of every device"}
      </button>
    </form>
  );
}
