/**
 * Group commit of lone writes, for event routes called one event per request. While `maxFlights` batches are
 * being written, newly submitted items queue; when one finishes, everything queued (up to `maxBatch`) goes as
 * the next batch. So an idle server writes an item at once, and under load concurrent requests share one
 * statement and its commit instead of each paying for their own: with 32 concurrent single-event clients the
 * database is then no longer what limits them (docs/benchmarks.md).
 *
 * `write` answers each item with its result or with the Error that item alone fails with (an unknown user:
 * that request's 404), never failing the others. If a whole batch throws, each of its items is written again
 * on its own, so one request's failure is never another's.
 */
export class GroupCommit<I, O> {
  private queue: { item: I; resolve: (outcome: O) => void; reject: (error: unknown) => void }[] = [];
  private flights = 0;

  constructor(
    private readonly write: (items: I[]) => Promise<(O | Error)[]>,
    private readonly maxBatch: number,
    private readonly maxFlights = 2,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.flights < this.maxFlights && this.queue.length > 0) {
      const flight = this.queue.splice(0, this.maxBatch);
      this.flights++;
      void this.fly(flight).finally(() => {
        this.flights--;
        this.pump();
      });
    }
  }

  private async fly(flight: GroupCommit<I, O>["queue"]): Promise<void> {
    let outcomes: (O | Error)[];
    try {
      outcomes = await this.write(flight.map((p) => p.item));
    } catch (error) {
      if (flight.length === 1) return flight[0]!.reject(error);
      for (const p of flight) await this.fly([p]);
      return;
    }
    flight.forEach((p, i) => {
      const outcome = outcomes[i]!;
      if (outcome instanceof Error) p.reject(outcome);
      else p.resolve(outcome);
    });
  }
}

/** One value per database client in each process (the groups writing through it), made on first use. */
export function perClient<D extends object, G>(make: (db: D) => G): (db: D) => G {
  const made = new WeakMap<D, G>();
  return (db) => {
    let value = made.get(db);
    if (value === undefined) made.set(db, (value = make(db)));
    return value;
  };
}
