import { afterEach, describe, expect, it, vi } from "vitest";
import { createProgress } from "@/lib/cli";

// Ctrl-C ends a script at once, without running JavaScript (runCli leaves SIGINT/SIGTERM their
// default action), so a progress bar is never stopped on the way out: whatever terminal mode it set
// stays with the shell. It used to hide the cursor and turn line wrap off.

const HIDE_CURSOR = "\x1b[?25l";
const WRAP_OFF = "\x1b[?7l";

afterEach(() => vi.restoreAllMocks());

describe("createProgress on a terminal", () => {
  it("sets no terminal mode a kill in the middle would leave behind", () => {
    const written: string[] = [];
    const tty = Object.getOwnPropertyDescriptor(process.stderr, "isTTY");
    Object.defineProperty(process.stderr, "isTTY", { value: true, configurable: true });
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    try {
      const bar = createProgress("train", 100);
      bar.tick(40, "fitting");
      const midway = written.join(""); // what a terminal holds when the signal arrives
      bar.stop();
      expect(midway).toMatch(/train \[[░█]+\] 0%/); // drawn at once; later frames come on a timer
      expect(midway).not.toContain(HIDE_CURSOR);
      expect(midway).not.toContain(WRAP_OFF);
    } finally {
      if (tty) Object.defineProperty(process.stderr, "isTTY", tty);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    }
  });
});
