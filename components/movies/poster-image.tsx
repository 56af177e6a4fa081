"use client";

import { useState } from "react";

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
  return (
    // Plain <img>: posters come from TMDB or our own SVG route; nothing to optimise server-side.
    // eslint-disable-next-line @next/next/no-img-element
    <img
      src={current}
      alt={alt}
      width={300}
      height={450}
      loading={priority ? "eager" : "lazy"}
      fetchPriority={priority ? "high" : "auto"}
      decoding={priority ? "auto" : "async"}
      onError={() => {
        if (current !== fallback) setCurrent(fallback);
      }}
      className={`aspect-[2/3] h-auto w-full bg-ink-800 object-cover ${className}`}
    />
  );
}
