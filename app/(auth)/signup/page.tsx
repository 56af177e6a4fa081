import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { OAuthButtons } from "@/components/auth/oauth-buttons";
import { SignUpForm } from "@/components/auth/signup-form";
import { getSessionUser } from "@/lib/auth";
import { availableOAuthProviders } from "@/lib/auth/oauth";
import { safeCallbackUrl } from "@/lib/auth/schemas";

export const metadata: Metadata = { title: "Create an account" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function SignUpPage({ searchParams }: Props) {
  const callbackUrl = safeCallbackUrl(first((await searchParams).callbackUrl));
  if (await getSessionUser()) redirect(callbackUrl);
  const signInHref = callbackUrl === "/" ? "/signin" : `/signin?${new URLSearchParams({ callbackUrl })}`;
  return (
    <AuthCard
      title="Create an account"
      footer={
        <>
          Already have an account?{" "}
          <Link href={signInHref} className="font-semibold text-accent hover:underline">
            Sign in
          </Link>
        </>
      }
    >
      <SignUpForm callbackUrl={callbackUrl} />
      <OAuthButtons providers={availableOAuthProviders()} callbackUrl={callbackUrl} />
    </AuthCard>
  );
}
