import fs from "node:fs";
import { STATE_FILE, startServer } from "./server";

export default async function globalSetup() {
  const port = Number(process.env.E2E_PORT ?? "3217");
  const state = await startServer(port);
  fs.writeFileSync(STATE_FILE, JSON.stringify(state));
}
