// Drives review pages (copydesk lint --format html) in Debian's Chromium with playwright-core.
//
// node review.mjs CASES.json, where CASES.json lists pages: {name, html, json} and optionally
//   select: {words, code, bold}  click the mark of that finding; the panel must show the finding
//                                and the source passage with `bold` in bold, and the source's path
//   keys: true                   n / p step through the findings in order
//   filters: true                unticking a severity hides its findings
//   files: N                     the page lists N drafts
//   timing: true                 log the render time (not asserted)
//   hostile: true                no script of the draft or source ran; their markup shows as text
//   looks: true                  the theme button and a dark system scheme give a dark page;
//                                print hides the panel and filters and shows every finding's source
//   shot: PATH                   screenshot with the selected finding
// Every page: marks one for one with the JSON (a mark per diagnostic, one per checked item no
// diagnostic covers; code, severity, verdict, words), and no request other than the page itself.
// Prints one line per check; exits 1 if any failed.

import { readFileSync } from "fs";
import { pathToFileURL } from "url";
import { chromium } from "playwright-core";

const cases = JSON.parse(readFileSync(process.argv[2], "utf8"));
const failures = [];
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
function check(ok, message) {
  if (!ok) failures.push(message);
  return ok;
}
const squash = (s) => s.replace(/\s+/g, " ").trim();

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});

/// The marks the JSON promises, in the page's ids: dDfI for the I-th diagnostic of draft D,
/// dDcJ for the J-th checked item of draft D when no diagnostic covers it.
function expectedMarks(json, paths) {
  const draftIndex = new Map(paths.map((p, i) => [p, i]));
  const perDraft = new Map();
  const counter = (path) => {
    if (!perDraft.has(path)) perDraft.set(path, { f: 0, c: 0 });
    return perDraft.get(path);
  };
  const out = new Map();
  for (const d of json.diagnostics) {
    const n = counter(d.path);
    out.set(`d${draftIndex.get(d.path)}f${n.f++}`, { kind: "finding", code: d.code, severity: d.severity, text: d.text });
  }
  for (const c of json.checked) {
    const n = counter(c.path);
    const id = `d${draftIndex.get(c.path)}c${n.c++}`;
    if (c.finding === null) out.set(id, { kind: "checked", verdict: c.verdict, text: c.text });
  }
  return out;
}

for (const c of cases) {
  console.log(`-- ${c.name}`);
  const json = JSON.parse(readFileSync(c.json, "utf8"));
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: "light" });
  const page = await context.newPage();
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  const pageErrors = [];
  page.on("pageerror", (err) => pageErrors.push(err.message));
  page.on("console", (msg) => {
    if (msg.type() === "error") pageErrors.push(`console: ${msg.text()}`);
  });
  const url = pathToFileURL(c.html).href;
  const started = Date.now();
  await page.goto(url, { waitUntil: "load" });
  await page.waitForSelector("html[data-ready]", { timeout: 10_000 });
  // Two animation frames: the page has been laid out and painted.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const wall = Date.now() - started;
  const nav = await page.evaluate(() => {
    const e = performance.getEntriesByType("navigation")[0];
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    return { load: e.loadEventEnd, dom: e.domContentLoadedEventEnd, paint: paint ? paint.startTime : null, bytes: document.documentElement.outerHTML.length };
  });

  // The marks on the page, by id.
  const page_ = await page.evaluate(() => {
    const marks = {};
    for (const m of document.querySelectorAll("mark[data-m]")) {
      const id = m.getAttribute("data-m");
      if (m.parentElement && m.parentElement.closest(`mark[data-m="${id}"]`)) continue;
      const entry = (marks[id] ||= { text: "", code: m.getAttribute("data-code"), severity: m.getAttribute("data-sev"), verdict: m.getAttribute("data-verdict"), elements: 0, detached: false });
      entry.text += m.textContent;
      entry.elements += 1;
      entry.detached ||= m.classList.contains("detached");
    }
    const paths = [...document.querySelectorAll("article.draft h2.path")].map((h) => h.textContent);
    return { marks, paths, files: document.querySelectorAll("nav.files li").length };
  });
  const expected = expectedMarks(json, page_.paths);
  const got = page_.marks;
  const gotIds = Object.keys(got);
  const words = json.checked.length;
  check(gotIds.length === expected.size, `${c.name}: ${gotIds.length} marks on the page, the JSON gives ${expected.size} (${json.diagnostics.length} diagnostics + ${json.checked.filter((x) => x.finding === null).length} checked without one)`);
  let mismatched = 0;
  for (const [id, want] of expected) {
    const have = got[id];
    if (!check(have !== undefined, `${c.name}: no mark ${id} for ${JSON.stringify(want)}`)) continue;
    const same =
      squash(have.text).replace(/^… /, "") === squash(want.text) &&
      (want.kind === "finding" ? have.code === want.code && have.severity === want.severity : have.verdict === want.verdict);
    if (!same) {
      mismatched++;
      check(false, `${c.name}: mark ${id} is ${JSON.stringify(have)}, the JSON says ${JSON.stringify(want)}`);
    }
  }
  for (const id of gotIds) check(expected.has(id), `${c.name}: mark ${id} is not in the JSON`);
  const findings = json.diagnostics.length;
  const detached = Object.values(got).filter((m) => m.detached).length;
  console.log(`marks: ${gotIds.length} = ${findings} findings + ${expected.size - findings} other checked items (of ${words} checked); ${mismatched} differ from the JSON; ${detached} outside the rendered text`);
  console.log(`render: ${(nav.bytes / 1024).toFixed(0)} KB page, load event ${nav.load.toFixed(0)} ms, first contentful paint ${nav.paint === null ? "n/a" : nav.paint.toFixed(0) + " ms"}, ${wall} ms from navigation to two frames painted${c.timing ? " (the 2,000-word draft)" : ""}`);

  if (c.files !== undefined) {
    check(page_.files === c.files && page_.paths.length === c.files, `${c.name}: the file list has ${page_.files} entries and ${page_.paths.length} drafts, expected ${c.files}`);
  }

  if (c.select) {
    const want = json.diagnostics.find((d) => d.code === c.select.code && d.text === c.select.words);
    if (check(want !== undefined, `${c.name}: the JSON has no ${c.select.code} on "${c.select.words}"`)) {
      const mark = page.locator(`mark.finding[data-code="${c.select.code}"]`, { hasText: c.select.words }).first();
      await mark.click();
      const panel = await page.evaluate(() => {
        const body = document.getElementById("panel-body");
        const bold = body.querySelector("blockquote.passage b");
        return {
          visible: body.offsetParent !== null && body.querySelector(".detail") !== null,
          code: body.querySelector(".code code")?.textContent,
          message: body.querySelector(".message")?.textContent,
          passage: body.querySelector("blockquote.passage")?.textContent,
          bold: bold?.textContent,
          path: body.querySelector(".source .path")?.textContent,
          fix: body.querySelector(".fix ins")?.textContent,
          selected: document.querySelectorAll("mark.selected").length,
        };
      });
      const ev = want.evidence[0];
      check(panel.visible, `${c.name}: the panel shows no detail after the click`);
      check(panel.code === c.select.code, `${c.name}: the panel's code is ${panel.code}`);
      check(panel.message === want.message, `${c.name}: the panel's message is ${JSON.stringify(panel.message)}`);
      check(panel.bold === c.select.bold, `${c.name}: the passage's bold words are ${JSON.stringify(panel.bold)}, expected ${c.select.bold}`);
      check(squash(panel.passage ?? "").includes(squash(ev.excerpt).slice(0, 40)), `${c.name}: the passage ${JSON.stringify(panel.passage)} is not the evidence excerpt`);
      check(panel.path === ev.path, `${c.name}: the panel names ${panel.path}, the evidence ${ev.path}`);
      check(panel.fix === want.fix?.replacement, `${c.name}: the fix is ${panel.fix}`);
      check(panel.selected >= 1, `${c.name}: the selected mark is not highlighted`);
      console.log(`selected: ${c.select.code} on "${c.select.words}": passage "${squash(panel.passage ?? "")}" (bold "${panel.bold}"), source ${panel.path}, fix "${panel.fix}"`);
      if (c.shot) {
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: c.shot, fullPage: true });
        console.log(`screenshot: ${c.shot}`);
      }
    }
  }

  if (c.keys) {
    // From no selection: n selects the first finding, n the next, p goes back; the order is the list's.
    await page.keyboard.press("Escape");
    const order = await page.evaluate(() => [...document.querySelectorAll(".finding-list li[data-m]")].map((li) => li.getAttribute("data-m")));
    const selectedId = () => page.evaluate(() => document.querySelector("mark.selected")?.getAttribute("data-m") ?? null);
    const seen = [];
    await page.keyboard.press("n");
    seen.push(await selectedId());
    await page.keyboard.press("n");
    seen.push(await selectedId());
    await page.keyboard.press("p");
    seen.push(await selectedId());
    const want = [order[0], order[1 % order.length], order[0]];
    check(JSON.stringify(seen) === JSON.stringify(want), `${c.name}: n, n, p selected ${seen}, expected ${want}`);
    console.log(`keys: n, n, p -> ${seen.join(", ")}`);
  }

  if (c.filters) {
    const counts = () =>
      page.evaluate(() => ({
        items: [...document.querySelectorAll(".finding-list li[data-m]")].filter((li) => li.offsetParent !== null).length,
        errors: [...document.querySelectorAll('.finding-list li[data-sev="error"]')].filter((li) => li.offsetParent !== null).length,
      }));
    const before = await counts();
    await page.locator('#filters input[data-filter="sev"][value="error"]').uncheck();
    const after = await counts();
    await page.locator('#filters input[data-filter="sev"][value="error"]').check();
    const errors = json.diagnostics.filter((d) => d.severity === "error").length;
    check(before.errors === errors && after.errors === 0 && after.items === before.items - errors, `${c.name}: the error filter left ${JSON.stringify(after)} of ${JSON.stringify(before)}`);
    console.log(`filters: unticking "error" hides ${before.items - after.items} of ${before.items} listed findings`);
  }

  if (c.looks) {
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor === "rgba(0, 0, 0, 0)" ? getComputedStyle(document.documentElement).backgroundColor : getComputedStyle(document.body).backgroundColor);
    const dark = (rgb) => rgb.match(/\d+/g).slice(0, 3).map(Number).reduce((a, b) => a + b, 0) < 200;
    const light = await background();
    await page.click("#theme"); // light
    await page.click("#theme"); // dark
    const toggled = await background();
    await page.click("#theme"); // auto again
    await page.emulateMedia({ colorScheme: "dark" });
    const system = await background();
    await page.emulateMedia({ colorScheme: "light" });
    check(!dark(light) && dark(toggled) && dark(system), `${c.name}: backgrounds light ${light}, theme button ${toggled}, dark scheme ${system}`);
    await page.emulateMedia({ media: "print" });
    const printed = await page.evaluate(() => ({
      panel: getComputedStyle(document.getElementById("panel")).display,
      filters: getComputedStyle(document.getElementById("filters")).display,
      details: [...document.querySelectorAll(".details .detail.finding")].filter((d) => getComputedStyle(d).display !== "none").length,
    }));
    await page.emulateMedia({ media: "screen" });
    check(printed.panel === "none" && printed.filters === "none" && printed.details === json.diagnostics.length, `${c.name}: printed ${JSON.stringify(printed)}`);
    console.log(`looks: background ${light} light, ${toggled} by the theme button, ${system} with a dark system scheme; print shows ${printed.details} findings' sources, no panel or filters`);
  }

  if (c.hostile) {
    const state = await page.evaluate(() => ({
      pwned: window.pwned ?? null,
      scripts: document.scripts.length,
      images: document.images.length,
      frames: document.querySelectorAll("iframe").length,
      text: document.querySelector("article.draft .text").textContent,
      panel: document.querySelector("#panel-body blockquote.passage")?.textContent ?? "",
      hrefs: [...document.querySelectorAll("[href]")].map((e) => e.getAttribute("href")).filter((h) => !h.startsWith("#")),
    }));
    check(state.pwned === null, `${c.name}: a script of the draft or source ran (window.pwned = ${state.pwned})`);
    check(state.scripts === 1 && state.images === 0 && state.frames === 0, `${c.name}: ${state.scripts} scripts, ${state.images} images, ${state.frames} frames on the page`);
    check(state.text.includes('<script>window.pwned = "block"</script>') && state.text.includes("<img src="), `${c.name}: the draft's markup is not shown as text`);
    check(state.panel.includes("Powerchip") && !state.panel.includes("<img"), `${c.name}: the source passage in the panel is ${JSON.stringify(state.panel)}`);
    check(state.hrefs.length === 0, `${c.name}: links out of the page: ${state.hrefs}`);
    console.log(`hostile: no script ran (window.pwned ${state.pwned}), ${state.scripts} script (the page's), ${state.images} images, markup shown as text`);
  }

  // Sources' own links are the only addresses allowed in the file, and nothing is requested.
  const sourceUrls = new Set(json.diagnostics.concat(json.checked).flatMap((d) => (d.evidence ? [].concat(d.evidence) : [])).map((e) => e && e.url).filter(Boolean));
  const html = readFileSync(c.html, "utf8");
  const addresses = [...html.matchAll(/(?:href|src|action)="([^"#][^"]*)"|url\(\s*['"]?([^'")]+)/g)].map((m) => (m[1] ?? m[2]).replaceAll("&amp;", "&"));
  const foreign = addresses.filter((a) => !sourceUrls.has(a));
  check(foreign.length === 0, `${c.name}: addresses in the file besides the sources' links: ${foreign.slice(0, 5)}`);
  const outside = requests.filter((r) => r !== url);
  check(outside.length === 0, `${c.name}: requests left the page: ${outside.slice(0, 5)}`);
  check(pageErrors.length === 0, `${c.name}: errors in the page: ${pageErrors.slice(0, 3)}`);
  console.log(`network: ${requests.length} request (the page itself), ${outside.length} others; ${addresses.length} links in the file, all to sources`);
  await context.close();
}

await browser.close();
console.log(`${elapsed()} ${failures.length === 0 ? "PASS" : "FAIL"}`);
for (const f of failures) console.error(`FAIL: ${f}`);
process.exit(failures.length === 0 ? 0 : 1);
