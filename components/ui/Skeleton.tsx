/** A placeholder of a fixed size while data loads, so nothing moves when it arrives. */
export function Skeleton({ className = "h-5 w-24" }: { className?: string }) {
  return (
    <span
      aria-hidden="true"
      className={`block animate-pulse rounded bg-zinc-200 motion-reduce:animate-none dark:bg-zinc-800 ${className}`}
    />
  );
}
