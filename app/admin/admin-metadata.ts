import type { Metadata } from "next";
import { getSessionUser } from "@/lib/auth";

/**
 * An admin page's metadata: its title for an admin, and for anyone else the 403 page's own title.
 * (The layout's forbidden() renders app/forbidden.tsx, but the page's metadata still set the
 * title, so the "Admins only" page was titled "Jobs · Admin · Matinee".) `absolute`: /admin
 * itself, which the layout's "%s · Admin · Matinee" template does not reach.
 */
export async function adminMetadata(title: string, { absolute = false } = {}): Promise<Metadata> {
  const user = await getSessionUser();
  if (user?.role !== "admin") return { title: { absolute: "Admins only · Matinee" } };
  return { title: absolute ? { absolute: title } : title };
}
