export function SiteFooter() {
  return (
    <footer className="border-t border-white/5 px-4 py-6 text-center text-xs text-zinc-400 sm:px-6">
      <p>
        Movie data and images from{" "}
        <a className="underline hover:text-zinc-100" href="https://www.themoviedb.org/" rel="noreferrer">
          TMDB
        </a>
        . This product uses the TMDB API but is not endorsed or certified by TMDB.
      </p>
    </footer>
  );
}
