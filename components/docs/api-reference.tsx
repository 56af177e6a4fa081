"use client";

import dynamic from "next/dynamic";
import "swagger-ui-react/swagger-ui.css";

// Swagger UI is bundled from npm (no CDN), so the reference works offline.
const SwaggerUI = dynamic(() => import("swagger-ui-react"), {
  ssr: false,
  loading: () => <p className="p-6 text-zinc-600">Loading the API reference…</p>,
});

export function ApiReference({ url }: { url: string }) {
  return (
    <div className="rounded-lg bg-white text-black" data-testid="api-reference">
      <SwaggerUI url={url} docExpansion="list" defaultModelsExpandDepth={0} />
    </div>
  );
}
