/**
 * The saves of one control, sent one at a time in the order they were made, so the server ends on
 * the last value: two requests in flight together could be handled in either order (a rating of
 * 4 then 2 stars could end as 4). While a save is in flight only the newest value waits; the
 * values in between are never sent ("superseded"), their caller need not show anything for them.
 */
export type SaveQueue<T> = {
  /** Save `value` now, or once the save in flight is done; rejects with that save's error. */
  save(value: T): Promise<"saved" | "superseded">;
  /**
   * The page is going away: send the waiting value at once instead of after the save in flight
   * (whose completion this page will not see). It normally reaches the server after the earlier
   * request, which left first; waiting is certain to lose it.
   */
  sendNow(): void;
};

type Waiting<T> = { value: T; resolve: (r: "saved" | "superseded") => void; reject: (err: unknown) => void };

export function createSaveQueue<T>(send: (value: T) => Promise<void>): SaveQueue<T> {
  let busy = false;
  let waiting: Waiting<T> | null = null;

  function start(item: Waiting<T>) {
    busy = true;
    send(item.value).then(
      () => item.resolve("saved"),
      (err: unknown) => item.reject(err),
    ).finally(() => {
      busy = false;
      const next = waiting;
      waiting = null;
      if (next) start(next);
    });
  }

  return {
    save(value) {
      return new Promise((resolve, reject) => {
        const item = { value, resolve, reject };
        if (!busy) return start(item);
        waiting?.resolve("superseded");
        waiting = item;
      });
    },
    sendNow() {
      const next = waiting;
      waiting = null;
      if (!next) return;
      // not start(): the save in flight still hands over to whatever is queued after this one
      send(next.value).then(() => next.resolve("saved"), next.reject);
    },
  };
}
