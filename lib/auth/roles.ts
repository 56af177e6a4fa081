import type { User } from "@/lib/db/schema";

export type Role = User["role"];

/**
 * The role of a new account: `admin` when its email is in ADMIN_EMAILS, or when ADMIN_EMAILS is
 * empty and this is the first account on the install (so a fresh self-hosted install always has
 * an admin without configuration). Everyone else is a `user`.
 */
export function roleForNewAccount(email: string, ctx: { adminEmails: readonly string[]; existingAccounts: number }): Role {
  if (isAdminEmail(email, ctx.adminEmails)) return "admin";
  if (ctx.adminEmails.length === 0 && ctx.existingAccounts === 0) return "admin";
  return "user";
}

export function isAdminEmail(email: string, adminEmails: readonly string[]): boolean {
  return adminEmails.includes(email.trim().toLowerCase());
}
