// Drives code-server (VS Code in a browser) with headless Chromium: opens the draft, checks the
// status bar, the Problems panel and the hover on the figure, runs "copydesk: Reload corpus",
// and saves a screenshot of the hover.
//
// Then edits the workspace settings: a one-file corpus must be re-indexed without a reload, a
// missing server path must show the error state, and the real path must bring the server back.
// The status bar item names the running server (version and where it came from) in its tooltip
// and accessible label: EXPECT_SERVER at first, then the copydesk.server.path one.
//
// node ui.mjs URL SCREENSHOT   (env: CHROMIUM, default /usr/bin/chromium; WS_SETTINGS, the
// workspace's .vscode/settings.json; COPYDESK_BIN; ONE_SOURCE, a corpus file; EXPECT_SERVER,
// e.g. "copydesk 0.1.0 (bundled server)")

import { writeFileSync } from "fs";
import { chromium } from "playwright-core";

const [url, screenshot] = process.argv.slice(2);
if (!url || !screenshot) {
  console.error("usage: node ui.mjs URL SCREENSHOT");
  process.exit(2);
}
const expected = {
  problem: /unit-mismatch/,
  problemSource: "US$1.8 billion",
  // The hover quotes the source passage, with the source's figure in bold.
  hoverFigure: "US$1.8 billion",
  hoverPassage: "Powerchip",
};

const failures = [];
const report = {};
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
function check(ok, message) {
  if (!ok) failures.push(message);
  return ok;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.on("pageerror", (err) => console.error(`[page error] ${err.message}`));

/**
 * The accessible label of the copydesk status bar item ("copydesk: 30 documents indexed,
 * copydesk 0.1.0 (bundled server)"), once it holds `expected` (within 15 s), else as it is.
 */
async function serverLabel(expected) {
  const read = () =>
    page.evaluate(() => {
      for (const item of document.querySelectorAll(".statusbar-item")) {
        if (!(item.textContent ?? "").includes("copydesk:")) continue;
        const labelled = item.matches("[aria-label]") ? item : item.querySelector("[aria-label]");
        return labelled?.getAttribute("aria-label") ?? null;
      }
      return null;
    });
  let label = await read();
  for (let waited = 0; expected && !label?.includes(expected) && waited < 15_000; waited += 250) {
    await page.waitForTimeout(250);
    label = await read();
  }
  return label;
}

try {
  await page.goto(url, { waitUntil: "domcontentloaded" });
  await page.waitForSelector(".monaco-workbench", { timeout: 120_000 });
  console.error(`${elapsed()} workbench loaded`);

  // Open the draft from the Explorer (Quick Open as a fallback).
  const tab = page.locator('.tabs-container .tab', { hasText: "draft.md" }).first();
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: "draft.md" }).first();
  let opened = false;
  if (await row.waitFor({ timeout: 60_000 }).then(() => true).catch(() => false)) {
    await row.click();
    opened = await tab.waitFor({ timeout: 15_000 }).then(() => true).catch(() => false);
  }
  for (let attempt = 0; attempt < 3 && !opened; attempt++) {
    await page.keyboard.press("Control+P");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible", timeout: 10_000 }).catch(() => {});
    await input.fill("draft.md").catch(() => {});
    await page.waitForTimeout(1000);
    await page.keyboard.press("Enter");
    opened = await tab.waitFor({ timeout: 10_000 }).then(() => true).catch(() => false);
  }
  check(opened, "the draft did not open");
  await page.locator(".monaco-editor .view-lines").first().waitFor({ timeout: 30_000 });
  console.error(`${elapsed()} draft opened`);

  // The status bar reports the corpus once it is indexed.
  const statusItem = page.locator('.statusbar-item:has-text("copydesk:")').first();
  const indexed = await statusItem
    .filter({ hasText: /documents indexed/ })
    .waitFor({ timeout: 60_000 })
    .then(() => true)
    .catch(() => false);
  report.status = (await statusItem.textContent().catch(() => null))?.trim();
  check(indexed, `the status bar does not say the corpus is indexed: ${report.status}`);
  console.error(`${elapsed()} status bar: ${report.status}`);
  report.server = await serverLabel(process.env.EXPECT_SERVER);
  check(
    !process.env.EXPECT_SERVER || report.server?.includes(process.env.EXPECT_SERVER),
    `the status bar does not name the server ${process.env.EXPECT_SERVER}: ${report.server}`,
  );
  console.error(`${elapsed()} status bar server: ${report.server}`);

  // The Problems panel lists the finding.
  await page.keyboard.press("Control+Shift+M");
  const markers = page.locator(".markers-panel .monaco-list-row");
  const listed = await page
    .locator(".markers-panel .monaco-list-row", { hasText: expected.problemSource })
    .first()
    .waitFor({ timeout: 60_000 })
    .then(() => true)
    .catch(() => false);
  report.problems = (await markers.allTextContents()).map((t) => t.trim());
  check(listed, `the Problems panel does not list the finding: ${JSON.stringify(report.problems)}`);
  check(report.problems.some((t) => expected.problem.test(t)), `no unit-mismatch in the Problems panel: ${JSON.stringify(report.problems)}`);
  console.error(`${elapsed()} problems: ${JSON.stringify(report.problems)}`);

  // Hover the figure in the editor.
  const figure = page.locator(".monaco-editor .view-lines span", { hasText: "NT$1.8" }).last();
  await figure.waitFor({ timeout: 10_000 });
  const box = await figure.boundingBox();
  const hover = page.locator(".monaco-hover:not(.hidden)").filter({ hasText: expected.hoverPassage });
  let hovered = false;
  for (let attempt = 0; attempt < 4 && !hovered && box; attempt++) {
    await page.mouse.move(box.x + 2, box.y - 40);
    await page.waitForTimeout(300);
    // Find the "NT$1.8" text inside the span and hover a few characters in.
    const text = (await figure.textContent()) ?? "";
    const at = Math.max(0, text.indexOf("NT$1.8"));
    const charWidth = text.length ? box.width / text.length : 8;
    await page.mouse.move(box.x + (at + 3) * charWidth, box.y + box.height / 2, { steps: 5 });
    hovered = await hover
      .first()
      .waitFor({ state: "visible", timeout: 8_000 })
      .then(() => true)
      .catch(() => false);
  }
  report.hover = hovered ? (await hover.first().innerText()).trim() : null;
  check(hovered, "no hover with the source passage on the figure");
  if (hovered) {
    check(report.hover.includes(expected.hoverFigure), `the hover lacks the source's figure: ${report.hover}`);
    const bold = await hover.first().locator("strong", { hasText: expected.hoverFigure }).count();
    check(bold > 0, "the source's figure is not in bold in the hover");
  }
  await page.screenshot({ path: screenshot });
  console.error(`${elapsed()} hover: ${JSON.stringify(report.hover)}; screenshot ${screenshot}`);

  // The quick fix (Ctrl+.) on the figure puts in the source's wording; the problem goes away.
  await page.mouse.move(10, 10);
  await page.keyboard.press("Escape");
  if (box) {
    await page.mouse.click(box.x + 4, box.y + box.height / 2);
  }
  const fixTitle = 'Replace with "US$1.8 billion"';
  let fixShown = false;
  for (let attempt = 0; attempt < 3 && !fixShown; attempt++) {
    await page.keyboard.press("Control+.");
    fixShown = await page
      .locator(".action-widget .monaco-list-row", { hasText: fixTitle })
      .first()
      .waitFor({ timeout: 8_000 })
      .then(() => true)
      .catch(() => false);
  }
  check(fixShown, `the quick fix '${fixTitle}' is not offered`);
  if (fixShown) {
    await page.locator(".action-widget .monaco-list-row", { hasText: fixTitle }).first().click();
    const fixed = await page
      .locator(".monaco-editor .view-lines", { hasText: "Micron will pay US$1.8 billion" })
      .first()
      .waitFor({ timeout: 10_000 })
      .then(() => true)
      .catch(() => false);
    check(fixed, "the quick fix did not change the draft to US$1.8 billion");
    const cleared = await page
      .locator(".markers-panel .monaco-list-row", { hasText: "NT$1.8 billion" })
      .first()
      .waitFor({ state: "detached", timeout: 20_000 })
      .then(() => true)
      .catch(() => false);
    check(cleared, "the problem stayed after the quick fix");
    report.quickFix = fixed && cleared;
  }
  console.error(`${elapsed()} quick fix: ${report.quickFix}`);

  // copydesk: Reload corpus from the command palette re-indexes (the status bar says so again).
  await page.mouse.move(10, 10);
  await page.keyboard.press("Escape");
  await page.keyboard.press("F1");
  const palette = page.locator(".quick-input-widget input");
  await palette.waitFor({ state: "visible", timeout: 10_000 });
  await palette.fill(">copydesk: Reload corpus");
  await page.locator(".quick-input-list .monaco-list-row", { hasText: "Reload corpus" }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press("Enter");
  const reloaded = await page
    .locator(".statusbar", { hasText: /copydesk: corpus reloaded, \d+ documents?/ })
    .first()
    .waitFor({ timeout: 30_000 })
    .then(() => true)
    .catch(() => false);
  check(reloaded, "copydesk: Reload corpus did not report the re-indexed documents");
  report.reloaded = reloaded;
  console.error(`${elapsed()} reload corpus: ${reloaded}`);

  // copydesk: Show output opens the channel with the server's window/logMessage lines.
  await page.keyboard.press("F1");
  await palette.waitFor({ state: "visible", timeout: 10_000 });
  await palette.fill(">copydesk: Show output");
  await page.locator(".quick-input-list .monaco-list-row", { hasText: "Show output" }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press("Enter");
  report.output = await page
    .locator(".part.panel .view-lines", { hasText: "corpus ready" })
    .first()
    .waitFor({ timeout: 15_000 })
    .then(() => true)
    .catch(() => false);
  check(report.output, "copydesk: Show output did not show the server's log (\"corpus ready\")");
  console.error(`${elapsed()} show output: ${report.output}`);

  // Settings apply without a reload: a one-file corpus is re-indexed (didChangeConfiguration).
  const settingsPath = process.env.WS_SETTINGS;
  const writeSettings = (settings) => writeFileSync(settingsPath, JSON.stringify(settings, null, 2));
  // The server was started from PATH (no copydesk.server.path) until the last step.
  const base = { "copydesk.debounceMs": 0 };
  const statusIs = (re, timeout = 30_000) =>
    page
      .locator(".statusbar-item", { hasText: re })
      .first()
      .waitFor({ timeout })
      .then(() => true)
      .catch(() => false);
  writeSettings({ ...base, "copydesk.corpus": [process.env.ONE_SOURCE] });
  report.corpusChange = await statusIs(/copydesk: 1 document indexed/);
  check(report.corpusChange, "changing copydesk.corpus did not re-index a one-document corpus");
  console.error(`${elapsed()} corpus setting change: ${report.corpusChange}`);

  // A missing binary: the client restarts and the status bar shows the error.
  writeSettings({ ...base, "copydesk.server.path": "/nonexistent/copydesk", "copydesk.corpus": [process.env.ONE_SOURCE] });
  report.badPath = await statusIs(/copydesk: server not started/);
  check(report.badPath, "a missing copydesk.server.path did not show the error state");
  console.error(`${elapsed()} missing server path: ${report.badPath}`);

  // The real binary again: the client restarts and indexes.
  writeSettings({ ...base, "copydesk.server.path": process.env.COPYDESK_BIN, "copydesk.corpus": [process.env.ONE_SOURCE] });
  report.restart = await statusIs(/copydesk: 1 document indexed/);
  check(report.restart, "restoring copydesk.server.path did not restart the server");
  report.restartServer = await serverLabel("(copydesk.server.path)");
  check(report.restartServer?.includes("(copydesk.server.path)"), `the status bar does not name the configured server: ${report.restartServer}`);
  console.error(`${elapsed()} server path restored: ${report.restart}; status bar server: ${report.restartServer}`);
} catch (err) {
  failures.push(`error: ${err instanceof Error ? err.stack : String(err)}`);
  await page.screenshot({ path: screenshot.replace(/\.png$/, "-error.png") }).catch(() => {});
} finally {
  await browser.close();
}

report.failures = failures;
report.seconds = (Date.now() - t0) / 1000;
console.log(JSON.stringify(report, null, 2));
for (const f of failures) console.error(`FAIL: ${f}`);
process.exit(failures.length ? 1 : 0);
