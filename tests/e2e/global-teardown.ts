import fs from "node:fs";
import { STATE_FILE, stopServer } from "./server";

export default async function globalTeardown() {
  if (!fs.existsSync(STATE_FILE)) return;
  stopServer(JSON.parse(fs.readFileSync(STATE_FILE, "utf8")));
  fs.rmSync(STATE_FILE, { force: true });
}
