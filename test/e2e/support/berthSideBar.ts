// The Berth side bar arranged so a test (and its screenshots) can see its rows.

import type { Page } from 'playwright-core';
import { openViewContainer, resizeSideBar, resizeView, setViewExpanded, viewPane } from './vscode';

/**
 * Opens the Berth side bar with room for its rows (the lists are virtual:
 * only rows in view are in the page): Images collapsed, the side bar `width`
 * pixels wide so descriptions are not cut off, and the Containers view
 * `containersHeight` pixels tall when given. Arranges it once; later calls
 * only show it.
 */
export async function showBerthSideBar(page: Page, { width = 820, containersHeight }: { width?: number; containersHeight?: number } = {}): Promise<void> {
  await openViewContainer(page, 'Berth');
  const images = viewPane(page, 'Images').locator('.pane-header');
  await images.waitFor({ state: 'visible' });
  if ((await images.getAttribute('aria-expanded')) !== 'true') return; // already arranged
  await setViewExpanded(page, 'Images', false);
  await resizeSideBar(page, width);
  if (containersHeight !== undefined) await resizeView(page, 'Containers', containersHeight);
}
