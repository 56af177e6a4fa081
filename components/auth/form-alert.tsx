/** The form-level error (wrong password, rate limited, ...), announced to screen readers. */
export function FormAlert({ id, message }: { id?: string; message?: string | null }) {
  if (!message) return null;
  return (
    <p id={id} role="alert" className="rounded-md bg-red-500/10 px-3 py-2 text-sm text-red-200 ring-1 ring-red-400/30">
      {message}
    </p>
  );
}
