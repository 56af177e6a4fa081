import { describe, expect, it } from "vitest";
import { createOptimisticValue, type OptimisticState } from "@/components/movies/optimistic-value";
import { SaveError } from "@/components/movies/post-interaction";

// The watchlist toggle's and the watched button's saves: shown at once, sent one at a time in
// order, so a quick add-then-remove cannot end with the film on the watchlist while the button
// says it is not (seen in the browser: the first POST held up, the second overtook it).

/** A fake endpoint: records what was sent, answers when the test says so. */
function fakeServer() {
  const sent: boolean[] = [];
  const open: { ok: () => void; fail: (err: Error) => void }[] = [];
  let stored: boolean | undefined;
  const send = (value: boolean) =>
    new Promise<void>((resolve, reject) => {
      sent.push(value);
      open.push({
        ok: () => {
          stored = value;
          resolve();
        },
        fail: reject,
      });
    });
  /** Answer the oldest request still open, and let the control react. */
  const answer = async (fail?: Error) => {
    const req = open.shift()!;
    if (fail) req.fail(fail);
    else req.ok();
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
  };
  return { sent, open, send, answer, stored: () => stored };
}

function setup(initial = false) {
  const server = fakeServer();
  const states: OptimisticState<boolean>[] = [];
  const control = createOptimisticValue(initial, server.send, (s) => states.push(s));
  const shown = () => states.at(-1)!;
  return { server, control, shown };
}

describe("createOptimisticValue", () => {
  it("shows a choice at once and clears pending once it is saved", async () => {
    const { server, control, shown } = setup();
    void control.save(true);
    expect(shown()).toEqual({ value: true, pending: true, error: null });
    expect(server.sent).toEqual([true]);
    await server.answer();
    expect(shown()).toEqual({ value: true, pending: false, error: null });
  });

  it("sends a second click only after the first is answered, so the server ends on the last choice", async () => {
    const { server, control, shown } = setup();
    void control.save(true); // add
    void control.save(false); // and remove again, while the add is still in flight
    expect(shown().value).toBe(false);
    expect(server.sent).toEqual([true]); // the remove waits: sent together they could land in either order
    await server.answer();
    expect(server.sent).toEqual([true, false]);
    expect(shown()).toMatchObject({ value: false, pending: true });
    await server.answer();
    expect(server.stored()).toBe(false);
    expect(shown()).toEqual({ value: false, pending: false, error: null });
  });

  it("keeps the newest choice when an older save fails while it waits", async () => {
    const { server, control, shown } = setup();
    void control.save(true);
    void control.save(false);
    await server.answer(new SaveError("Couldn't save: Matinee could not be reached. Check your connection and try again."));
    expect(shown()).toMatchObject({ value: false, error: null }); // not flipped back to "on", no stale message
    await server.answer();
    expect(shown()).toEqual({ value: false, pending: false, error: null });
  });

  it("puts back the last saved value and says why when the newest save fails", async () => {
    const { server, control, shown } = setup();
    void control.save(true);
    await server.answer();
    void control.save(false);
    await server.answer(new SaveError("Your session ended. Sign in again to save.", true));
    expect(shown().value).toBe(true);
    expect(shown().pending).toBe(false);
    expect(shown().error?.message).toBe("Your session ended. Sign in again to save.");
    expect(shown().error?.signInAgain).toBe(true);
  });

  it("words an unexpected failure with the fallback message", async () => {
    const { server, control, shown } = setup();
    void control.save(true);
    await server.answer(new Error("boom"));
    expect(shown()).toMatchObject({ value: false, pending: false });
    expect(shown().error?.message).toBe("Couldn't save that. Try again.");
  });

  it("words the fallback for the value that failed when given a function", async () => {
    const server = fakeServer();
    const states: OptimisticState<boolean>[] = [];
    const control = createOptimisticValue<boolean>(true, server.send, (s) => states.push(s), (v) => (v ? "Couldn't add that." : "Couldn't remove that."));
    void control.save(false);
    await server.answer(new Error("boom"));
    expect(states.at(-1)).toMatchObject({ value: true, pending: false });
    expect(states.at(-1)!.error?.message).toBe("Couldn't remove that.");
    void control.save(true);
    void control.save(false);
    await server.answer(new Error("boom")); // the older save: superseded, no message
    expect(states.at(-1)!.error).toBeNull();
    await server.answer(new Error("boom"));
    expect(states.at(-1)!.error?.message).toBe("Couldn't remove that.");
  });

  it("sends a waiting choice at once when the page goes away", async () => {
    const { server, control } = setup();
    void control.save(true);
    void control.save(false);
    control.sendNow();
    expect(server.sent).toEqual([true, false]);
  });
});
