// Plotly sliders in browser tests: a mouse click on a figure's slider rail, as a user picks a step.
import type { Locator, Page } from "playwright-core";

/** Clicks the slider rail of `figure` at a fraction of its length (0 = first step, 1 = last). */
export async function clickSlider(page: Page, figure: Locator, at: number): Promise<void> {
  // Mouse clicks land at viewport coordinates: bring the whole plot, slider included, into view first.
  await figure.scrollIntoViewIfNeeded();
  const rail = await figure.locator(".slider-rail-touch-rect").boundingBox();
  if (!rail) throw new Error("the figure's slider is not laid out");
  const inset = 8; // the first and last steps sit a grip's half-width inside the rail
  await page.mouse.click(rail.x + inset + at * (rail.width - 2 * inset), rail.y + rail.height / 2);
}
