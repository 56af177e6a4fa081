"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { signInPath } from "@/lib/auth/paths";
import { SaveError } from "./post-interaction";

/**
 * Why a save failed, as the movie page's controls say it. When the session ended, "Sign in" links
 * to the sign-in page, which comes back to this page (the same link as "Sign in to rate").
 */
export function SaveErrorText({ error }: { error: SaveError }) {
  const pathname = usePathname();
  if (!error.signInAgain) return <>{error.message}</>;
  return (
    <>
      Your session ended.{" "}
      <Link href={signInPath(pathname ?? undefined)} className="font-semibold underline underline-offset-2" data-testid="save-sign-in">
        Sign in
      </Link>{" "}
      again to save.
    </>
  );
}

/** Any failure as a SaveError: a generic message for what the save path did not explain. */
export function toSaveError(err: unknown, fallback: string): SaveError {
  return err instanceof SaveError ? err : new SaveError(fallback);
}
