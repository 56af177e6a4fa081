/** A quiet line above a grid that is a fallback (e.g. random picks because recommendations failed). */
export function FallbackNotice({ message }: { message: string }) {
  return (
    <p role="status" data-testid="fallback-notice" className="mb-4 rounded-md border border-white/5 bg-ink-800 px-3 py-2 text-sm text-zinc-300">
      {message}
    </p>
  );
}
