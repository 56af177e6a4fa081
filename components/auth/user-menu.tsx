import Link from "next/link";
import { getSessionUser } from "@/lib/auth";
import { signOutAction } from "@/lib/auth/actions";

/** The header's account corner: "Sign in", or the signed-in email (a link to the account page), "Admin" for admins, and "Sign out". */
export async function UserMenu() {
  const user = await getSessionUser();
  if (!user) {
    return (
      <Link href="/signin" className="rounded-md px-3 py-1.5 text-sm font-semibold text-zinc-100 ring-1 ring-white/15 hover:bg-ink-800">
        Sign in
      </Link>
    );
  }
  return (
    <div className="flex min-w-0 items-center gap-3 text-sm">
      {/* the name holds what is shown: the email from `sm` up, "Account" on a phone */}
      <Link
        href="/me/account"
        aria-label={`Your account (${user.email})`}
        title={user.email}
        className="max-w-[16rem] truncate rounded-md px-2 py-1.5 text-zinc-300 hover:bg-ink-800 hover:text-zinc-100"
      >
        <span data-testid="user-email" className="hidden sm:inline">
          {user.email}
        </span>
        <span className="sm:hidden">Account</span>
      </Link>
      {user.role === "admin" && (
        <Link href="/admin" className="rounded-md px-3 py-1.5 font-semibold text-zinc-100 ring-1 ring-white/15 hover:bg-ink-800">
          Admin
        </Link>
      )}
      <form action={signOutAction}>
        <button type="submit" className="rounded-md px-3 py-1.5 font-semibold text-zinc-100 ring-1 ring-white/15 hover:bg-ink-800">
          Sign out
        </button>
      </form>
    </div>
  );
}

export function UserMenuSkeleton() {
  return <div aria-hidden className="h-8 w-20 animate-pulse rounded-md bg-ink-800" />;
}
