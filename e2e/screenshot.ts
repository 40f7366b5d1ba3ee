import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "@playwright/test";

export const SCREENSHOT_DIR = join(process.cwd(), "e2e", "screenshots");

/** Saves a full-page screenshot at each width people use: 390 px (phone) and 1280 px (desktop). */
export async function screenshotAtWidths(page: Page, name: string, widths: number[] = [390, 1280]): Promise<string[]> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const files: string[] = [];
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    const path = join(SCREENSHOT_DIR, `${name}-${width}.png`);
    await page.screenshot({ path, fullPage: true });
    files.push(path);
  }
  return files;
}
