import { Skeleton } from "@/components/ui/skeleton";

export function MovieRowSkeleton({ count = 8 }: { count?: number }) {
  return (
    <div className="mt-10" aria-hidden>
      <Skeleton className="mb-3 h-6 w-56" />
      <div className="flex gap-3 overflow-hidden sm:gap-4">
        {Array.from({ length: count }, (_, i) => (
          <div key={i} className="w-32 shrink-0 sm:w-36 lg:w-40">
            <Skeleton className="aspect-[2/3] w-full" />
            <Skeleton className="mt-2 h-4 w-3/4" />
          </div>
        ))}
      </div>
    </div>
  );
}
