"use client";

import { useActionState, useRef } from "react";
import { signUpWithPassword, type AuthFormState } from "@/lib/auth/actions";
import { useFocusOnFailure } from "./focus-on-failure";
import { FormAlert } from "./form-alert";
import { SubmitButton } from "./submit-button";
import { NewPasswordField, TextField } from "./text-field";
import { reachableAction, UNREACHABLE } from "@/components/ui/reachable-action";

// a request that never reached the server keeps the form (and the typed email) with a message
const keepEmail = (form: FormData): AuthFormState => ({ error: UNREACHABLE, email: String(form.get("email") ?? "") });
const signUp = reachableAction(signUpWithPassword, keepEmail);

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState<AuthFormState, FormData>(signUp, {});
  const form = useRef<HTMLFormElement>(null);
  useFocusOnFailure(form, state);
  return (
    <form ref={form} action={action} noValidate className="space-y-4" aria-describedby={state.error ? "signup-error" : undefined}>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <FormAlert id="signup-error" message={state.error} />
      <TextField
        name="email"
        label="Email"
        type="email"
        autoComplete="email"
        required
        defaultValue={state.email}
        errors={state.fieldErrors?.email}
      />
      <NewPasswordField name="password" label="Password" errors={state.fieldErrors?.password} />
      <SubmitButton pending={pending} label="Create account" pendingLabel="Creating account…" />
    </form>
  );
}
