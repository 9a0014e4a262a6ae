// A tree row's context menu, used as a user would: right-click, wait for the
// item, click it. Berth's views redraw while a test runs (status and CPU
// figures change, other tests' containers come and go); a redraw between the
// right-click and the click can swallow the menu, or make the command run
// without its row (it then asks for one in a quick pick). A caller that can
// tell whether the command took may ask for more than one try.

import type { Locator, Page } from 'playwright-core';
import { e2eLog, screenshot, treeRow } from './vscode';

/** The item of the open context menu whose text matches `item`. */
export function contextMenuItem(page: Page, item: RegExp): Locator {
  return page.locator('.context-view .monaco-menu .action-label', { hasText: item });
}

/** The command ran without the row its menu was opened on (VS Code was redrawing the tree), so it asked for one. */
export class RowLostError extends Error {}

export interface MenuChoice {
  /** The view's name, e.g. "Containers". */
  view: string;
  /** The row's label (a string matches part of it). */
  row: string | RegExp;
  /** The menu item's text. */
  item: RegExp;
}

export interface ChooseOptions {
  /** Runs once the menu shows the item, just before the click (a screenshot, a timestamp). */
  beforeClick?: () => unknown;
  /** Resolves once the command visibly took (a terminal, a tab, an input); throws when it did not. */
  took?: (attempt: number) => Promise<void>;
  /** Tries in all (default 1: no retry). */
  attempts?: number;
  /** Which failures earn another try (default: any). */
  retryIf?: (error: unknown) => boolean;
  /** Saves a screenshot `<name>-<attempt>` of each failed try. */
  failureScreenshot?: string;
  /** Undoes what a failed try opened, once its menu is closed, before the next try. */
  beforeRetry?: () => Promise<void>;
}

/** Runs the context menu item `item` of the row `row` in `view`; see `ChooseOptions` for retries. */
export async function chooseFromContextMenu(page: Page, { view, row, item }: MenuChoice, options: ChooseOptions = {}): Promise<void> {
  const { beforeClick, took, attempts = 1, retryIf = () => true, failureScreenshot, beforeRetry } = options;
  const action = contextMenuItem(page, item);
  for (let attempt = 1; ; attempt++) {
    try {
      await treeRow(page, view, row).click({ button: 'right' });
      await action.waitFor({ state: 'visible', timeout: 10_000 });
      // The menu fades in; a click during the fade can land on nothing.
      await page.waitForTimeout(300);
      await beforeClick?.();
      await action.click();
      await took?.(attempt);
      return;
    } catch (error) {
      if (failureScreenshot) await screenshot(page, `${failureScreenshot}-${attempt}`);
      if (attempt >= attempts || !retryIf(error)) throw error;
      e2eLog(`${item} on ${row} in the ${view} view did not take on attempt ${attempt} (${(error as Error).message.split('\n')[0]}); trying again`);
      await page.keyboard.press('Escape');
      await beforeRetry?.();
    }
  }
}
