import type { Metadata } from "next";
import Link from "next/link";

// Through the root layout's title template: "Page not found · Matinee".
export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <div className="mx-auto max-w-md py-20 text-center">
      <h1 className="text-2xl font-bold">Not found</h1>
      <p className="mt-2 text-zinc-400">We couldn&apos;t find that page or movie.</p>
      <Link href="/" className="mt-6 inline-block rounded-md bg-accent px-4 py-2 font-semibold text-black">
        Back to the grid
      </Link>
    </div>
  );
}
