// Driving the page the way a person does: typing into fields and pressing the buttons, found by
// their data-testid, then reading the table of runs.
import assert from 'node:assert/strict';

/** The widths screenshots are taken at. */
export const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

/** Replaces the text of a panel's field. */
export async function fill(page, workload, field, value) {
  await page.getByTestId(`field-${workload}-${field}`).fill(String(value));
}

/** Picks a preset by its label. */
export async function preset(page, workload, label) {
  await page.getByTestId(`preset-${workload}`).selectOption({ label });
}

/** Number of rows in a panel's table of runs. */
export function rowCount(page, workload) {
  return page.locator(`[data-testid="results-${workload}-rows"] tr`).count();
}

/**
 * Presses `run-<side>-<workload>` once the buttons are enabled (input checked, no other run)
 * and waits for the new row of the table; returns that row's cells by data-testid.
 */
export async function runAndRead(page, workload, side, { timeout = 60_000 } = {}) {
  const before = await rowCount(page, workload);
  const button = page.getByTestId(`run-${side}-${workload}`);
  await button.click({ timeout: 10_000 });
  // Done when the new row is there and the panel is idle again, or at once when the panel
  // shows an error (then the test fails with its words, not with a timeout).
  await page.waitForFunction(([w, n]) => {
    const problem = document.querySelector(`[data-testid="error-${w}"]`);
    if (problem && !problem.hidden && problem.textContent) return true;
    return document.querySelectorAll(`[data-testid="results-${w}-rows"] tr`).length > n
      && document.querySelector(`[data-testid="cancel-${w}"]`).disabled;
  }, [workload, before], { timeout });
  const problem = page.getByTestId(`error-${workload}`);
  if (await problem.isVisible()) assert.fail(`${workload} ${side}: ${await problem.textContent()}`);
  return latestRow(page, workload);
}

/** The newest row of a panel's table: { what, browser-ms, ..., ratio, cold }. */
export function latestRow(page, workload) {
  return page.evaluate((w) => {
    const tr = document.querySelector(`[data-testid="results-${w}-rows"] tr`);
    const out = { cold: tr.classList.contains('cold') };
    for (const td of tr.cells) out[td.dataset.testid] = td.textContent;
    return out;
  }, workload);
}

/** Asserts a "both" row: same checksums, marked as matching, every timing column numeric. */
export function assertBothRow(row, label) {
  assert.equal(row.match, '✓ match', `${label}: ${JSON.stringify(row)}`);
  assert.equal(row['browser-checksum'], row['server-checksum'], label);
  for (const col of ['browser-ms', 'server-ms', 'round-trip-ms', 'transfer-ms', 'queue-ms']) {
    const v = Number.parseFloat(row[col]);
    assert.ok(Number.isFinite(v) && v >= 0, `${label}: ${col} = ${JSON.stringify(row[col])}`);
  }
  assert.match(row.ratio, /^\d+(\.\d+)?×( \(drawn\))?$/, label);
}
