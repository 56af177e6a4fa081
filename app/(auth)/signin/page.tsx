import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { OAuthButtons } from "@/components/auth/oauth-buttons";
import { SignInForm } from "@/components/auth/signin-form";
import { getSessionUser } from "@/lib/auth";
import { authErrorMessage, signInReason } from "@/lib/auth/messages";
import { availableOAuthProviders } from "@/lib/auth/oauth";
import { safeCallbackUrl } from "@/lib/auth/schemas";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(first(params.callbackUrl));
  if (await getSessionUser()) redirect(callbackUrl);
  // why sign-in is asked for, from the page it will go back to (fixed words, never the URL's own text)
  const reason = signInReason(callbackUrl);
  const signUpHref = callbackUrl === "/" ? "/signup" : `/signup?${new URLSearchParams({ callbackUrl })}`;
  return (
    <AuthCard
      title="Sign in"
      footer={
        <>
          New to Matinee?{" "}
          <Link href={signUpHref} className="font-semibold text-accent hover:underline">
            Create an account
          </Link>
        </>
      }
    >
      {reason && (
        <p data-testid="signin-reason" className="mb-4 text-sm text-zinc-300">
          {reason}
        </p>
      )}
      {first(params.signedOut) === "everywhere" && (
        <p role="status" data-testid="signed-out-everywhere" className="mb-4 rounded-md bg-ink-800 px-3 py-2 text-sm text-zinc-200 ring-1 ring-white/10">
          You&apos;re signed out on every device.
        </p>
      )}
      <SignInForm callbackUrl={callbackUrl} notice={authErrorMessage(first(params.error))} />
      <OAuthButtons providers={availableOAuthProviders()} callbackUrl={callbackUrl} />
    </AuthCard>
  );
}
