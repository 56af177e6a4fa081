import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { OAuthButtons } from "@/components/auth/oauth-buttons";
import { SignInForm } from "@/components/auth/signin-form";
import { getSessionUser } from "@/lib/auth";
import { authErrorMessage } from "@/lib/auth/messages";
import { availableOAuthProviders } from "@/lib/auth/oauth";
import { safeCallbackUrl } from "@/lib/auth/schemas";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(first(params.callbackUrl));
  if (await getSessionUser()) redirect(callbackUrl);
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
      <SignInForm callbackUrl={callbackUrl} notice={authErrorMessage(first(params.error))} />
      <OAuthButtons providers={availableOAuthProviders()} callbackUrl={callbackUrl} />
    </AuthCard>
  );
}
