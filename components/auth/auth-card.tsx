/** The centered panel the sign-in and sign-up pages share. */
export function AuthCard({ title, children, footer }: { title: string; children: React.ReactNode; footer?: React.ReactNode }) {
  return (
    <section aria-labelledby="auth-title" className="mx-auto w-full max-w-sm py-6 sm:py-12">
      <div className="rounded-xl bg-ink-900 p-6 shadow-2xl ring-1 ring-white/5 sm:p-8">
        <h1 id="auth-title" className="mb-6 text-2xl font-extrabold tracking-tight">
          {title}
        </h1>
        {children}
      </div>
      {footer && <p className="mt-4 text-center text-sm text-zinc-400">{footer}</p>}
    </section>
  );
}
