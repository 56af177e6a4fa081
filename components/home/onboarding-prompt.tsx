import Link from "next/link";

/** For a signed-in account with no history yet: the way to personal picks. */
export function OnboardingPrompt() {
  return (
    <aside
      aria-labelledby="onboarding-prompt-title"
      className="mb-8 flex flex-col gap-4 rounded-xl bg-ink-800 p-5 ring-1 ring-white/5 sm:flex-row sm:items-center sm:justify-between"
    >
      <div>
        <h2 id="onboarding-prompt-title" className="text-lg font-bold">
          Tell us what you like
        </h2>
        <p className="mt-1 text-sm text-zinc-400">Pick five films you enjoyed and your recommendations appear right away.</p>
      </div>
      <Link href="/onboarding" className="shrink-0 rounded-md bg-accent px-4 py-2 text-sm font-semibold text-black hover:brightness-110">
        Pick favourites
      </Link>
    </aside>
  );
}
