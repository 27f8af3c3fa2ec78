// Headless Chromium for the browser tests: Debian's build (or
// CHROMIUM_PATH, which `cargo xtask test` sets), started with the flags
// that keep it quiet and offline.
import { chromium } from "playwright-core";

/** Launches Chromium; the caller closes it. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
