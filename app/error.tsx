"use client";

import { useRouter } from "next/navigation";
import { startTransition } from "react";

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  const router = useRouter();
  // reset() alone re-renders what the browser already has; the page's data comes from the server,
  // so ask it again (QA: Try again never recovered after the cause was fixed)
  const retry = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });
  return (
    <div role="alert" className="mx-auto max-w-md py-20 text-center">
      <h1 className="text-2xl font-bold">Something went wrong</h1>
      <p className="mt-2 text-zinc-400">This page could not be loaded. Please try again.</p>
      <button onClick={retry} className="mt-6 rounded-md bg-accent px-4 py-2 font-semibold text-black">
        Try again
      </button>
    </div>
  );
}
