import type { Metadata } from "next";
import { headers } from "next/headers";
import { AdminNav } from "@/components/admin/admin-nav";
import { AdminNotice } from "@/components/admin/admin-notice";
import { requireAdminPage } from "@/lib/auth";
import { adminCallbackUrl } from "@/lib/auth/schemas";

export const metadata: Metadata = { title: { default: "Admin", template: "%s · Admin · Matinee" } };

// Access is checked here, above every loading boundary, so a non-admin gets a real HTTP 403 and a
// signed-out visitor a real redirect before anything streams. (proxy.ts passes the requested path and
// query for the sign-in callback; the end-user pages' skeletons live in their route groups so that no
// loading boundary sits above this layout. app/(account)/layout.tsx does the same for /me/* and
// /onboarding.)
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requireAdminPage(adminCallbackUrl((await headers()).get("x-matinee-path")));
  return (
    <div>
      <h1 className="mb-3 text-2xl font-extrabold tracking-tight sm:text-3xl">Admin</h1>
      <AdminNav />
      <AdminNotice />
      {children}
    </div>
  );
}
