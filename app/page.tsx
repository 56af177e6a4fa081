import { CardGrid } from "@/components/movies/card-grid";
import { getHomeGrid } from "@/lib/catalog/home";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const grid = await getHomeGrid(24);
  return (
    <section aria-labelledby="home-title">
      <div className="mb-5 flex items-end justify-between gap-4">
        <div>
          <h1 id="home-title" className="text-2xl font-extrabold tracking-tight sm:text-3xl">
            {grid.source === "popular" ? "Popular now" : "Picks for tonight"}
          </h1>
          <p className="mt-1 text-sm text-zinc-400">The films everyone is watching this week.</p>
        </div>
      </div>
      {grid.notice && (
        <p role="status" data-testid="fallback-notice" className="mb-4 rounded-md bg-ink-800 px-3 py-2 text-sm text-zinc-300">
          {grid.notice}
        </p>
      )}
      <CardGrid movies={grid.movies} emptyMessage="The catalog is empty. Run `npm run prepare-data` to load it." />
    </section>
  );
}
