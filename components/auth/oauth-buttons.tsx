import { signInWithProvider } from "@/lib/auth/actions";
import type { OAuthProviderInfo } from "@/lib/auth/oauth";

/** "Continue with GitHub/Google" for the configured providers; nothing when none are. */
export function OAuthButtons({ providers, callbackUrl }: { providers: OAuthProviderInfo[]; callbackUrl: string }) {
  if (providers.length === 0) return null;
  return (
    <div className="mt-6">
      <div className="flex items-center gap-3 text-xs uppercase tracking-wide text-zinc-400" aria-hidden>
        <span className="h-px flex-1 bg-white/10" /> or <span className="h-px flex-1 bg-white/10" />
      </div>
      <ul className="mt-4 space-y-2">
        {providers.map((p) => (
          <li key={p.id}>
            <form action={signInWithProvider}>
              <input type="hidden" name="provider" value={p.id} />
              <input type="hidden" name="callbackUrl" value={callbackUrl} />
              <button
                type="submit"
                className="w-full rounded-md bg-ink-800 px-4 py-2 font-semibold text-zinc-100 ring-1 ring-white/10 transition hover:bg-ink-700"
              >
                Continue with {p.name}
              </button>
            </form>
          </li>
        ))}
      </ul>
    </div>
  );
}
