import type { Metadata } from "next";
import Link from "next/link";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { DeleteAccountForm } from "@/components/account/delete-account-form";
import { SignOutEverywhereForm } from "@/components/account/sign-out-everywhere-form";
import { getAccountOverview } from "@/lib/account/settings";
import { requireUserPage } from "@/lib/auth";
import { formatCount } from "@/lib/util/format";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your account" };

const since = new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: "UTC" });

type Props = { searchParams: Promise<{ password?: string | string[] }> };

export default async function AccountPage({ searchParams }: Props) {
  const user = await requireUserPage("/me/account");
  const passwordChanged = (await searchParams).password === "changed";
  const account = await getAccountOverview(user.id);
  if (!account) return null; // deleted between the layout's check and here: the next request signs out
  const { counts } = account;
  const sectionTitle = "text-lg font-bold text-zinc-100";
  const listLink = "font-semibold text-accent hover:underline";
  return (
    <div className="max-w-2xl space-y-10">
      <section aria-labelledby="account-title">
        <h1 id="account-title" className="text-2xl font-extrabold tracking-tight sm:text-3xl">
          Your account
        </h1>
        <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
          <dt className="text-zinc-400">Email</dt>
          <dd data-testid="account-email" className="break-all text-zinc-100">
            {account.email}
          </dd>
          <dt className="text-zinc-400">Member since</dt>
          <dd className="text-zinc-100">{since.format(account.createdAt)}</dd>
          <dt className="text-zinc-400">Signs in with</dt>
          <dd className="text-zinc-100">{account.hasPassword ? "email and password" : "GitHub or Google"}</dd>
          {account.role === "admin" && (
            <>
              <dt className="text-zinc-400">Role</dt>
              <dd className="text-zinc-100">admin</dd>
            </>
          )}
        </dl>
      </section>

      <section aria-labelledby="data-title">
        <h2 id="data-title" className={sectionTitle}>
          Your data
        </h2>
        {/* each count opens its list */}
        <p data-testid="account-counts" className="mt-2 text-sm text-zinc-300">
          <Link href="/me/ratings" className={listLink}>
            {formatCount(counts.rating, "rating")}
          </Link>
          ,{" "}
          <Link href="/me/watched" className={listLink}>
            {formatCount(counts.watch, "watch", "watches")}
          </Link>
          ,{" "}
          <Link href="/me/likes" className={listLink}>
            {formatCount(counts.like, "like")}
          </Link>{" "}
          and{" "}
          <Link href="/me/watchlist" className={listLink}>
            {formatCount(counts.watchlist, "film")} on your watchlist
          </Link>
          . Your recommendations are made from them.
        </p>
        <a
          href="/api/me/export"
          download
          className="mt-3 inline-block rounded-md px-3 py-1.5 text-sm font-semibold text-zinc-100 ring-1 ring-white/15 hover:bg-ink-800"
        >
          Download your data (JSON)
        </a>
      </section>

      {account.hasPassword && (
        <section aria-labelledby="password-title">
          <h2 id="password-title" className={`${sectionTitle} mb-3`}>
            Change password
          </h2>
          <ChangePasswordForm changed={passwordChanged} />
        </section>
      )}

      <section aria-labelledby="sessions-title">
        <h2 id="sessions-title" className={sectionTitle}>
          Devices
        </h2>
        <p className="mb-3 mt-2 text-sm text-zinc-300">
          Signed in on a device you no longer use, or one that isn&apos;t yours? Sign out everywhere, this device included; then sign in again here.
        </p>
        <SignOutEverywhereForm />
      </section>

      <section aria-labelledby="delete-title" className="rounded-lg p-5 ring-1 ring-red-400/30">
        <h2 id="delete-title" className={sectionTitle}>
          Delete account
        </h2>
        <p className="mb-4 mt-2 text-sm text-zinc-300">
          This deletes your account, your ratings, watches, likes and watchlist, and the recommendations made for you, at once and for good. Download your
          data first if you want to keep it.
        </p>
        <DeleteAccountForm hasPassword={account.hasPassword} />
      </section>
    </div>
  );
}
