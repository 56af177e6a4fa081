import type { Metadata } from "next";
import { ApiReference } from "@/components/docs/api-reference";

export const metadata: Metadata = { title: "API reference" };

export default function DocsPage() {
  return (
    <section>
      <h1 className="text-2xl font-extrabold tracking-tight">API reference</h1>
      <p className="mb-4 mt-1 text-sm text-zinc-400">
        Generated from the same schemas that validate requests. Raw document:{" "}
        <a className="underline" href="/api/openapi.json">
          /api/openapi.json
        </a>
      </p>
      <ApiReference url="/api/openapi.json" />
    </section>
  );
}
