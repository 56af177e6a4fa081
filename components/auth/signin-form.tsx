"use client";

import { useActionState, useRef } from "react";
import { signInWithPassword, type AuthFormState } from "@/lib/auth/actions";
import { useFocusOnFailure } from "./focus-on-failure";
import { FormAlert } from "./form-alert";
import { SubmitButton } from "./submit-button";
import { TextField } from "./text-field";
import { reachableAction, UNREACHABLE } from "@/components/ui/reachable-action";

// a request that never reached the server keeps the form (and the typed email) with a message
const keepEmail = (form: FormData): AuthFormState => ({ error: UNREACHABLE, email: String(form.get("email") ?? "") });
const signIn = reachableAction(signInWithPassword, keepEmail);

export function SignInForm({ callbackUrl, notice }: { callbackUrl: string; notice?: string | null }) {
  const [state, action, pending] = useActionState<AuthFormState, FormData>(signIn, {});
  const form = useRef<HTMLFormElement>(null);
  useFocusOnFailure(form, state);
  const error = state.error ?? notice;
  return (
    <form ref={form} action={action} noValidate className="space-y-4" aria-describedby={error ? "signin-error" : undefined}>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <FormAlert id="signin-error" message={error} />
      <TextField name="email" label="Email" type="email" autoComplete="email" required defaultValue={state.email} />
      <TextField name="password" label="Password" type="password" autoComplete="current-password" required />
      <SubmitButton pending={pending} label="Sign in" pendingLabel="Signing in…" />
    </form>
  );
}
