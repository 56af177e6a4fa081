import type { InputHTMLAttributes } from "react";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/constants";
import { fieldSentence } from "@/lib/validation/sentence";

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "name"> & {
  name: string;
  label: string;
  hint?: string;
  /** The API's messages for the field ("must be at least 8 characters"), shown as a sentence naming it. */
  errors?: string[];
};

/** A labelled input with an optional hint and field errors, wired up for screen readers. */
export function TextField({ name, label, hint, errors, className = "", ...input }: Props) {
  const id = `field-${name}`;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-semibold text-zinc-200">
        {label}
      </label>
      <input
        id={id}
        name={name}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={describedBy}
        className="mt-1 block w-full rounded-md bg-ink-800 px-3 py-2 text-zinc-100 ring-1 ring-white/10 placeholder:text-zinc-400 focus:outline-none focus:ring-2 focus:ring-accent aria-[invalid=true]:ring-red-400"
        {...input}
      />
      {hint && (
        <p id={hintId} className="mt-1 text-xs text-zinc-400">
          {hint}
        </p>
      )}
      {errorId && (
        <p id={errorId} className="mt-1 text-sm text-red-300">
          {fieldSentence(label, errors!)}
        </p>
      )}
    </div>
  );
}

/** A field for choosing a password (sign-up, changing it): its rules as a hint (lib/auth/schemas.ts's newPasswordSchema). */
export function NewPasswordField({ name, label, errors }: { name: string; label: string; errors?: string[] }) {
  return (
    <TextField
      name={name}
      label={label}
      type="password"
      autoComplete="new-password"
      required
      minLength={MIN_PASSWORD_LENGTH}
      hint={`At least ${MIN_PASSWORD_LENGTH} characters, and not a common password like “12345678”.`}
      errors={errors}
    />
  );
}
