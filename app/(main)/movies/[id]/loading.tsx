import { MovieRowSkeleton } from "@/components/movies/movie-row-skeleton";
import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div role="status" aria-label="Loading movie">
      <div className="grid gap-6 sm:grid-cols-[240px_1fr] md:gap-10">
        <Skeleton className="mx-auto aspect-[2/3] w-48 sm:w-full" />
        <div className="space-y-3">
          <Skeleton className="h-10 w-2/3" />
          <Skeleton className="h-4 w-1/3" />
          <Skeleton className="h-4 w-1/2" />
          <Skeleton className="mt-8 h-28 w-full max-w-lg" />
        </div>
      </div>
      <MovieRowSkeleton />
    </div>
  );
}
