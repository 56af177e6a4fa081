// How Matinee's browser runs start Chromium (the Playwright suite and the page-speed benchmark):
// Debian's package, headless, with nothing that reaches the network on its own.
export const CHROMIUM_PATH = "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];
