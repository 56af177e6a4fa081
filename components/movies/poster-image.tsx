"use client";

import { useCallback, useState } from "react";

/** A poster that swaps to the generated SVG when the TMDB image fails (e.g. offline). */
export function PosterImage({
  src,
  fallback,
  alt,
  priority = false,
  className = "",
}: {
  src: string;
  fallback: string;
  alt: string;
  priority?: boolean;
  className?: string;
}) {
  const [current, setCurrent] = useState(src);
  const showFallback = useCallback(() => setCurrent((was) => (was === fallback ? was : fallback)), [fallback]);
  // The server-rendered <img> starts loading before React hydrates, and an error it hits then
  // (TMDB unreachable fails at once) fires no onError: React was not listening yet, and the
  // broken-image icon stayed. On hydration, a poster that has already finished with no pixels
  // has failed; one still loading (or lazy, not started) is left to onError.
  const checkAlreadyFailed = useCallback(
    (img: HTMLImageElement | null) => {
      if (img && img.complete && img.naturalWidth === 0 && img.getAttribute("src") !== fallback) showFallback();
    },
    [fallback, showFallback],
  );
  return (
    // Plain <img>: posters come from TMDB or our own SVG route; nothing to optimise server-side.
    // eslint-disable-next-line @next/next/no-img-element
    <img
      ref={checkAlreadyFailed}
      src={current}
      alt={alt}
      width={300}
      height={450}
      loading={priority ? "eager" : "lazy"}
      fetchPriority={priority ? "high" : "auto"}
      decoding={priority ? "auto" : "async"}
      onError={showFallback}
      className={`aspect-[2/3] h-auto w-full bg-ink-800 object-cover ${className}`}
    />
  );
}
