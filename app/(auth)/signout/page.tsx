import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { SubmitButton } from "@/components/auth/submit-button";
import { getSessionUser } from "@/lib/auth";
import { signOutAction } from "@/lib/auth/actions";

export const metadata: Metadata = { title: "Sign out" };

// Auth.js's sign-out page (GET /api/auth/signout) comes here instead of its own unstyled one
// (`pages.signOut` in lib/auth/config.ts): the header's "Sign out", as a page.
export default async function SignOutPage() {
  const user = await getSessionUser();
  if (!user) {
    return (
      <AuthCard
        title="Sign out"
        footer={
          <Link href="/" className="font-semibold text-accent hover:underline">
            Go to the home page
          </Link>
        }
      >
        <p role="status" data-testid="signed-out" className="mb-4 text-sm text-zinc-300">
          You&apos;re signed out.
        </p>
        <Link href="/signin" className="block w-full rounded-md px-4 py-2 text-center font-semibold text-zinc-100 ring-1 ring-white/15 hover:bg-ink-800">
          Sign in
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Sign out"
      footer={
        <Link href="/" className="font-semibold text-accent hover:underline">
          Stay signed in
        </Link>
      }
    >
      <p className="mb-4 break-words text-sm text-zinc-300">
        You&apos;re signed in as <span className="font-semibold text-zinc-100">{user.email}</span>. Sign out on this device?
      </p>
      <form action={signOutAction} aria-label="Sign out">
        <SubmitButton pending={false} label="Sign out" pendingLabel="Signing out…" />
      </form>
    </AuthCard>
  );
}
