// Posters: TMDB image URL when the movie has a poster_path, otherwise (and whenever the image
// fails to load in the browser) a generated SVG that is deterministic in title, year and genres.

export const TMDB_IMAGE_BASE = "https://image.tmdb.org/t/p";

export function tmdbPosterUrl(posterPath: string, size: "w185" | "w342" | "w500" = "w342"): string {
  return `${TMDB_IMAGE_BASE}/${size}${posterPath.startsWith("/") ? "" : "/"}${posterPath}`;
}

export function generatedPosterUrl(movieId: number): string {
  return `/api/posters/${movieId}`;
}

/**
 * The generated poster inlined as a data: URL (1.6–2.0 KB for typical titles). Above the fold this paints with the HTML
 * instead of waiting for one /api/posters request per card (issue 9: home-page LCP).
 */
export function generatedPosterDataUrl(movie: { title: string; year: number | null; genres: string[] }): string {
  // URL-encoded rather than base64: works the same in server and client components (no Buffer).
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderPosterSvg(movie))}`;
}

export function posterUrls(movie: { id: number; posterPath: string | null }) {
  const fallback = generatedPosterUrl(movie.id);
  return { src: movie.posterPath ? tmdbPosterUrl(movie.posterPath) : fallback, fallback };
}

// FNV-1a: a small, stable string hash (same output in every runtime).
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// Base hues per genre so a horror poster feels different from an animation one.
const GENRE_HUES: Record<string, number> = {
  Action: 8, Adventure: 28, Animation: 190, Comedy: 48, Crime: 350, Documentary: 160,
  Drama: 220, Family: 95, Fantasy: 275, Foreign: 130, History: 35, Horror: 0, Music: 310,
  Mystery: 255, Romance: 335, "Science Fiction": 200, "TV Movie": 180, Thriller: 240,
  War: 70, Western: 25,
};

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Break a title into at most `maxLines` lines of about `width` characters. */
export function wrapTitle(title: string, width = 14, maxLines = 4): string[] {
  const words = title.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line && (line + " " + word).length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = kept[maxLines - 1].replace(/.{0,1}$/, "…");
    return kept;
  }
  return lines;
}

export function renderPosterSvg(movie: { title: string; year: number | null; genres: string[] }): string {
  const h = hash(`${movie.title}|${movie.year ?? ""}|${movie.genres.join(",")}`);
  const base = GENRE_HUES[movie.genres[0] ?? ""] ?? h % 360;
  const hue1 = (base + (h % 24) - 12 + 360) % 360;
  // a neighbouring hue, either side, so each genre keeps its colour family
  const hue2 = (hue1 + ((h >>> 8) % 2 ? 1 : -1) * (20 + ((h >>> 9) % 40)) + 360) % 360;
  const angle = (h >>> 16) % 360;
  const circles = Array.from({ length: 3 }, (_, i) => {
    const k = hash(`${h}:${i}`);
    return `<circle cx="${k % 300}" cy="${(k >>> 9) % 450}" r="${60 + ((k >>> 18) % 120)}" fill="hsl(${(hue2 + i * 25) % 360} 70% 60%)" opacity="0.18"/>`;
  }).join("");
  const lines = wrapTitle(movie.title);
  const fontSize = lines.some((l) => l.length > 11) ? 30 : 36;
  const startY = 250 - ((lines.length - 1) * fontSize * 1.15) / 2;
  const titleSvg = lines
    .map(
      (l, i) =>
        `<text x="24" y="${(startY + i * fontSize * 1.15).toFixed(1)}" font-size="${fontSize}" font-weight="800">${escapeXml(l)}</text>`,
    )
    .join("");
  const genresLine = escapeXml(movie.genres.slice(0, 2).join(" · ").toUpperCase());
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 450" width="300" height="450" role="img" aria-label="${escapeXml(movie.title)}">
<defs><linearGradient id="g" gradientTransform="rotate(${angle} .5 .5)"><stop offset="0" stop-color="hsl(${hue1} 65% 22%)"/><stop offset="1" stop-color="hsl(${hue2} 70% 12%)"/></linearGradient></defs>
<rect width="300" height="450" fill="url(#g)"/>${circles}
<rect x="24" y="36" width="48" height="4" fill="hsl(${hue2} 90% 70%)"/>
<g fill="#fff" font-family="Inter, Helvetica, Arial, sans-serif">${titleSvg}
<text x="24" y="400" font-size="13" fill-opacity="0.75" letter-spacing="1.5">${genresLine}</text>
<text x="24" y="424" font-size="18" font-weight="600" fill-opacity="0.9">${movie.year ?? ""}</text></g>
</svg>`;
}
