import type { Metadata } from "next";
import { AdminNav } from "@/components/admin/admin-nav";
import { getSessionUser } from "@/lib/auth";

export const metadata: Metadata = { title: { default: "Admin", template: "%s · Admin · Matinee" } };

// Each admin page checks access itself (requireAdminPage with its own path, so sign-in returns
// there); the layout only draws the tabs, and only for admins.
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const user = await getSessionUser();
  return (
    <div>
      {user?.role === "admin" && (
        <>
          <h1 className="mb-3 text-2xl font-extrabold tracking-tight sm:text-3xl">Admin</h1>
          <AdminNav />
        </>
      )}
      {children}
    </div>
  );
}
