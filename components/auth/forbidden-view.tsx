import Link from "next/link";

/** The 403 page body, for app/forbidden.tsx (rendered when requireAdminPage calls forbidden()). */
export function ForbiddenView() {
  return (
    <div className="mx-auto max-w-md py-20 text-center">
      <h1 className="text-2xl font-bold">Admins only</h1>
      <p className="mt-2 text-zinc-400">Your account doesn&apos;t have access to this page.</p>
      <Link href="/" className="mt-6 inline-block rounded-md bg-accent px-4 py-2 font-semibold text-black">
        Back to the grid
      </Link>
    </div>
  );
}
