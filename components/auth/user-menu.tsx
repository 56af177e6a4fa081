import Link from "next/link";
import { getSessionUser } from "@/lib/auth";
import { signOutAction } from "@/lib/auth/actions";

/** The header's account corner: "Sign in", or the signed-in email, "Admin" for admins, and "Sign out". */
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
      <span data-testid="user-email" title={user.email} className="hidden max-w-[16rem] truncate text-zinc-300 sm:inline">
        {user.email}
      </span>
      <span className="sr-only sm:hidden">Signed in as {user.email}</span>
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
