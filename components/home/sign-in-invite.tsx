import Link from "next/link";

/** The signed-out home page's invitation: what an account gets you, and the two ways in. */
export function SignInInvite() {
  return (
    <aside
      aria-labelledby="invite-title"
      data-testid="sign-in-invite"
      className="mb-8 flex flex-col gap-4 rounded-xl bg-gradient-to-r from-ink-800 to-ink-900 p-5 ring-1 ring-white/5 sm:flex-row sm:items-center sm:justify-between"
    >
      <div>
        <h2 id="invite-title" className="text-lg font-bold">
          Get picks made for you
        </h2>
        <p className="mt-1 text-sm text-zinc-400">
          Create an account, tell us five films you love, and Matinee recommends what to watch next.
        </p>
      </div>
      <div className="flex shrink-0 gap-3">
        <Link href="/signup" className="rounded-md bg-accent px-4 py-2 text-sm font-semibold text-black hover:brightness-110">
          Get started
        </Link>
        {/* Not a second "Sign in": the header already has that link. */}
        <Link href="/signin" className="rounded-md px-4 py-2 text-sm font-semibold ring-1 ring-white/15 hover:bg-ink-700">
          I have an account
        </Link>
      </div>
    </aside>
  );
}
