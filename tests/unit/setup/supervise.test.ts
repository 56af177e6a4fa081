import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { superviseServer } from "@/lib/setup/supervise";

// npm start's hold on the Next server: a real child that behaves like `next start` on signals
// (exits 130 on SIGINT, 143 on SIGTERM), and a stand-in for the process's own signal events.

const SERVER = `
process.on("SIGINT", () => process.exit(130));
process.on("SIGTERM", () => process.exit(143));
process.stdout.write("up\\n");
setInterval(() => {}, 1000);
`;

async function started(code = SERVER) {
  const child = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise((resolve) => child.stdout!.once("data", resolve));
  return child;
}

describe("superviseServer", () => {
  it.each(["SIGINT", "SIGTERM"] as const)("passes %s on and counts the server's exit then as a clean stop", async (signal) => {
    const server = await started();
    const signals = new EventEmitter();
    const done = superviseServer(server, { signals, parentAlive: () => true });
    signals.emit(signal);
    await expect(done).resolves.toBeUndefined();
    expect(server.exitCode).toBe(signal === "SIGINT" ? 130 : 143);
    expect(signals.listenerCount("SIGINT") + signals.listenerCount("SIGTERM")).toBe(0);
  });

  it("stops the server when whoever started it is gone (npm's shell dies of SIGTERM without passing it on)", async () => {
    const server = await started();
    let alive = true;
    const done = superviseServer(server, { signals: new EventEmitter(), parentAlive: () => alive, pollMs: 20 });
    alive = false;
    await expect(done).resolves.toBeUndefined();
    expect(server.exitCode).toBe(143);
  });

  it("reports a server that exits by itself with a failure code, or is killed unasked", async () => {
    const failing = spawn(process.execPath, ["-e", "process.exit(3)"]);
    await expect(superviseServer(failing, { signals: new EventEmitter(), parentAlive: () => true })).rejects.toThrow("server exited with code 3");
    const killed = await started();
    const done = superviseServer(killed, { signals: new EventEmitter(), parentAlive: () => true });
    killed.kill("SIGKILL");
    await expect(done).rejects.toThrow("server was stopped by SIGKILL");
    const fine = spawn(process.execPath, ["-e", "process.exit(0)"]);
    await expect(superviseServer(fine, { signals: new EventEmitter(), parentAlive: () => true })).resolves.toBeUndefined();
  });
});
