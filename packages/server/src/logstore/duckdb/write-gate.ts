// Admission to a workspace's database for writers: appends share it (up to one per writer
// connection, so that one commit can be flushed to disk while the next batch is appended),
// schema changes and deletes take it alone. First come, first served: a waiting exclusive
// holder is not overtaken by later appends.

type Waiter = { exclusive: boolean; grant: () => void };

export class WriteGate {
  private shared = 0;
  private exclusive = false;
  private readonly queue: Waiter[] = [];

  constructor(private readonly maxShared: number) {}

  async run<T>(exclusive: boolean, fn: () => Promise<T>): Promise<T> {
    await new Promise<void>((grant) => {
      this.queue.push({ exclusive, grant });
      this.admit();
    });
    try {
      return await fn();
    } finally {
      if (exclusive) this.exclusive = false;
      else this.shared -= 1;
      this.admit();
    }
  }

  private admit(): void {
    while (this.queue.length > 0 && !this.exclusive) {
      const next = this.queue[0]!;
      if (next.exclusive) {
        if (this.shared > 0) return;
        this.exclusive = true;
      } else {
        if (this.shared >= this.maxShared) return;
        this.shared += 1;
      }
      this.queue.shift();
      next.grant();
    }
  }
}
