/** A titled block of an admin page. */
export function AdminSection({ title, description, actions, children }: { title: string; description?: string; actions?: React.ReactNode; children: React.ReactNode }) {
  const id = `section-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <section aria-labelledby={id} className="mt-8 first:mt-0">
      <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id={id} className="text-lg font-bold">
            {title}
          </h2>
          {description && <p className="text-sm text-zinc-400">{description}</p>}
        </div>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** What an empty list or chart says instead. */
export function EmptyState({ children }: { children: React.ReactNode }) {
  return <p className="rounded-lg bg-ink-900 px-4 py-6 text-center text-sm text-zinc-400 ring-1 ring-white/5">{children}</p>;
}
