"use client";

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="mx-auto max-w-md py-20 text-center">
      <h1 className="text-2xl font-bold">Something went wrong</h1>
      <p className="mt-2 text-zinc-400">This page could not be loaded. Please try again.</p>
      <button onClick={reset} className="mt-6 rounded-md bg-accent px-4 py-2 font-semibold text-black">
        Try again
      </button>
    </div>
  );
}
