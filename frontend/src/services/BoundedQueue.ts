/** FIFO that keeps the newest `capacity` items: the oldest is dropped (and counted) when full. */
export class BoundedQueue<T> {
  private items: T[] = [];
  private droppedCount = 0;

  constructor(private capacity: number) {
    if (!Number.isFinite(capacity) || capacity < 0) throw new Error(`queue capacity must be >= 0, got ${capacity}`);
  }

  /** Adds an item; returns the item dropped to make room, if any. */
  push(item: T): T | undefined {
    if (this.capacity === 0) {
      this.droppedCount++;
      return item;
    }
    this.items.push(item);
    if (this.items.length > this.capacity) {
      this.droppedCount++;
      return this.items.shift();
    }
    return undefined;
  }

  /** Removes and returns everything, oldest first. */
  drain(): T[] {
    const out = this.items;
    this.items = [];
    return out;
  }

  get size(): number {
    return this.items.length;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  clear(): void {
    this.items = [];
  }
}
