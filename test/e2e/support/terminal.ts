// The integrated terminal, read and typed into as a user would. Its text is in
// the page because the launch turns the terminal's GPU renderer off.

import type { Locator, Page } from 'playwright-core';

/** The rows of the active terminal. */
export function activeTerminal(page: Page): Locator {
  return page.locator('.terminal-wrapper.active .xterm-rows');
}

/** Waits until the active terminal is shown. */
export async function waitForActiveTerminal(page: Page, { timeoutMs = 20_000 } = {}): Promise<void> {
  await activeTerminal(page).waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Waits until the active terminal's text satisfies `test`; returns the text. The failure names `what` and shows the text. */
export async function waitForTerminalText(page: Page, test: (text: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
  const rows = activeTerminal(page);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = (await rows.textContent().catch(() => '')) ?? '';
    if (test(text)) return text;
    if (Date.now() > deadline) throw new Error(`the terminal never showed ${what}; it shows: ${text}`);
    await page.waitForTimeout(100);
  }
}

/** Types `text` into the active terminal (end it with `\n` to run a line). */
export async function typeInTerminal(page: Page, text: string): Promise<void> {
  await page.locator('.terminal-wrapper.active .xterm-helper-textarea').focus();
  await page.keyboard.type(text);
}

/** Waits until a terminal tab titled `title` is listed (a single terminal's tab, or an entry of the tabs list). */
export async function waitForTerminalTab(page: Page, title: string, { timeoutMs = 20_000 } = {}): Promise<void> {
  await page.locator('.single-terminal-tab, .terminal-tabs-entry', { hasText: title }).first().waitFor({ state: 'visible', timeout: timeoutMs });
}
