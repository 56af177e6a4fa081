import { describe, expect, it } from "vitest";
import { createSaveQueue } from "@/components/movies/save-queue";

// The rating's saves: at once, one at a time, in order, so the server ends on the last value.

/** A fake endpoint: records what was sent, answers when the test says so. */
function fakeServer() {
  const sent: (number | null)[] = [];
  const open: { value: number | null; ok: () => void; fail: (err: Error) => void }[] = [];
  const send = (value: number | null) =>
    new Promise<void>((resolve, reject) => {
      sent.push(value);
      open.push({ value, ok: resolve, fail: reject });
    });
  /** Answer the oldest request still open, and let the queue react. */
  const answer = async (fail?: Error) => {
    const req = open.shift()!;
    if (fail) req.fail(fail);
    else req.ok();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { sent, open, send, answer };
}

describe("createSaveQueue", () => {
  it("sends a save at once when nothing else is in flight", async () => {
    const server = fakeServer();
    const queue = createSaveQueue(server.send);
    const saved = queue.save(4);
    expect(server.sent).toEqual([4]);
    await server.answer();
    await expect(saved).resolves.toBe("saved");
  });

  it("never has two saves in flight, and sends the newest waiting value next", async () => {
    const server = fakeServer();
    const queue = createSaveQueue(server.send);
    const first = queue.save(2);
    const second = queue.save(4);
    const third = queue.save(1.5);
    const cleared = queue.save(null);
    expect(server.sent).toEqual([2]); // the others wait for the first answer
    await expect(second).resolves.toBe("superseded");
    await expect(third).resolves.toBe("superseded");
    await server.answer();
    await expect(first).resolves.toBe("saved");
    expect(server.sent).toEqual([2, null]);
    await server.answer();
    await expect(cleared).resolves.toBe("saved");
    // idle again: the next save goes at once
    void queue.save(3);
    expect(server.sent).toEqual([2, null, 3]);
  });

  it("reports a failed save to its caller and still sends the one waiting after it", async () => {
    const server = fakeServer();
    const queue = createSaveQueue(server.send);
    const first = queue.save(2).catch((err: Error) => err.message);
    const second = queue.save(5);
    await server.answer(new Error("offline"));
    expect(await first).toBe("offline");
    expect(server.sent).toEqual([2, 5]);
    await server.answer();
    await expect(second).resolves.toBe("saved");
  });

  it("sends the waiting value at once when the page goes away", async () => {
    const server = fakeServer();
    const queue = createSaveQueue(server.send);
    void queue.save(2);
    const last = queue.save(4.5);
    queue.sendNow();
    expect(server.sent).toEqual([2, 4.5]);
    queue.sendNow(); // nothing waits any more
    expect(server.sent).toEqual([2, 4.5]);
    await server.answer();
    await server.answer();
    await expect(last).resolves.toBe("saved");
    expect(server.sent).toEqual([2, 4.5]);
  });
});
