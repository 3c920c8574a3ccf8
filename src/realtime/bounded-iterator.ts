/**
 * One subscriber's queue: an async iterator fed by `push`, with a bounded buffer so a slow
 * subscriber never holds memory (or anyone else) hostage.
 *
 * Overflow policy: the OLDEST buffered event is dropped. Each event carries the whole tracking,
 * so a subscriber that falls behind still converges on the newest state; `dropped()` counts
 * what it missed. Publishers never wait on subscribers: `push` is synchronous and O(1) amortised.
 */
export interface BoundedIterator<T> extends AsyncIterableIterator<T> {
  push(value: T): void;
  /** Ends the stream after the buffered values have been read. */
  end(): void;
  dropped(): number;
  readonly closed: boolean;
  /** Unsubscribes (graphql-ws and yoga call it when the client leaves). */
  return(): Promise<IteratorResult<T>>;
}

export function createBoundedIterator<T>(maxBuffered: number, onClose: () => void): BoundedIterator<T> {
  if (!Number.isInteger(maxBuffered) || maxBuffered < 1) {
    throw new RangeError(`maxBuffered must be a positive integer (got ${maxBuffered})`);
  }
  let buffer: T[] = [];
  let head = 0;
  let waiting: ((r: IteratorResult<T>) => void) | undefined;
  let ending = false;
  let closed = false;
  let droppedCount = 0;

  const size = (): number => buffer.length - head;
  const shift = (): T => {
    const v = buffer[head++]!;
    // Compact now and then instead of Array#shift on every read.
    if (head > 64 && head * 2 > buffer.length) {
      buffer = buffer.slice(head);
      head = 0;
    }
    return v;
  };

  const close = (): void => {
    if (closed) return;
    closed = true;
    buffer = [];
    head = 0;
    const w = waiting;
    waiting = undefined;
    w?.({ value: undefined, done: true });
    onClose();
  };

  const it: BoundedIterator<T> = {
    get closed() {
      return closed;
    },
    push(value) {
      if (closed || ending) return;
      if (waiting) {
        const w = waiting;
        waiting = undefined;
        w({ value, done: false });
        return;
      }
      buffer.push(value);
      if (size() > maxBuffered) {
        shift();
        droppedCount++;
      }
    },
    end() {
      ending = true;
      if (size() === 0) close();
    },
    dropped: () => droppedCount,
    next() {
      if (size() > 0) {
        const value = shift();
        if (ending && size() === 0) close();
        return Promise.resolve({ value, done: false });
      }
      if (closed || ending) {
        close();
        return Promise.resolve({ value: undefined, done: true });
      }
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    return() {
      close();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(error?: unknown) {
      close();
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    },
    [Symbol.asyncIterator]() {
      return it;
    },
  };
  return it;
}
