import { headers } from "next/headers";
import { requireUserPage } from "@/lib/auth";
import { accountCallbackUrl } from "@/lib/auth/schemas";

// The pages that need an account (/me/*, /onboarding). Access is checked here, above their
// loading boundaries, so a signed-out visitor gets a real HTTP redirect to sign in before anything
// streams (a check inside the page would come after the skeleton, as a 200 with a client-side
// redirect). proxy.ts passes the requested path and query for the sign-in callback.
export default async function AccountLayout({ children }: { children: React.ReactNode }) {
  await requireUserPage(accountCallbackUrl((await headers()).get("x-matinee-path")));
  return children;
}
