"use client";

import { useEffect, useRef, useState } from "react";
import "swagger-ui-dist/swagger-ui.css";

// Swagger UI from npm (no CDN), so the reference works offline. It is swagger-ui-dist's prebuilt
// bundle rather than swagger-ui-react: built by Turbopack, swagger-ui-react's OpenAPI 3.1 code
// fails when an operation is opened ("refract is not a function", vercel/next.js#86507), which
// left every operation on a spinner. The prebuilt bundle brings its own already-linked copy.

export function ApiReference({ url }: { url: string }) {
  const node = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<"loading" | "ready" | "failed">("loading");

  useEffect(() => {
    let cancelled = false;
    import("swagger-ui-dist/swagger-ui-bundle.js")
      .then(({ default: SwaggerUIBundle }) => {
        if (cancelled || !node.current) return;
        SwaggerUIBundle({ domNode: node.current, url, docExpansion: "list", defaultModelsExpandDepth: 0, deepLinking: true });
        setState("ready");
      })
      .catch((err) => {
        console.error("API reference: Swagger UI failed to load", err);
        if (!cancelled) setState("failed");
      });
    return () => {
      cancelled = true;
    };
  }, [url]);

  return (
    <div className="rounded-lg bg-white text-black" data-testid="api-reference">
      {state === "loading" && <p className="p-6 text-zinc-600">Loading the API reference…</p>}
      {state === "failed" && (
        <p role="alert" className="p-6 text-zinc-700">
          The API reference could not load here. The document itself is at{" "}
          <a className="underline" href={url}>
            {url}
          </a>
          .
        </p>
      )}
      <div ref={node} />
    </div>
  );
}
