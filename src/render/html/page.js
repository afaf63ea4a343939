// copydesk review page: selecting a mark shows its details in the panel; n/p (or j/k) step
// through the findings; the filters hide findings by severity and code, and other marks by
// verdict. The page's text is never parsed as HTML here: details are cloned nodes.
"use strict";
(function () {
  var panel = document.getElementById("panel");
  var panelBody = document.getElementById("panel-body");
  var selected = null;

  function marksOf(id) {
    return document.querySelectorAll('mark[data-m="' + id + '"]');
  }

  function findingItems() {
    return Array.prototype.filter.call(
      document.querySelectorAll(".finding-list li[data-m]"),
      function (li) { return !li.classList.contains("off"); }
    );
  }

  function select(id, scroll) {
    var detail = document.getElementById("detail-" + id);
    if (!detail) return false;
    clear();
    selected = id;
    marksOf(id).forEach(function (m) { m.classList.add("selected"); });
    var item = document.querySelector('.finding-list li[data-m="' + id + '"]');
    if (item) item.classList.add("current");
    var copy = detail.cloneNode(true);
    copy.removeAttribute("id");
    copy.hidden = false;
    panelBody.replaceChildren(copy);
    panel.classList.add("has-selection");
    panel.scrollTop = 0;
    var first = document.getElementById(id);
    if (first && scroll) first.scrollIntoView({ block: "center" });
    try { history.replaceState(null, "", "#" + id); } catch (e) { /* file: URLs may refuse */ }
    return true;
  }

  function clear() {
    if (selected === null) return;
    marksOf(selected).forEach(function (m) { m.classList.remove("selected"); });
    document.querySelectorAll(".finding-list li.current").forEach(function (li) { li.classList.remove("current"); });
    selected = null;
    panelBody.replaceChildren();
    panel.classList.remove("has-selection");
  }

  function step(by) {
    var items = findingItems();
    if (items.length === 0) return;
    var ids = items.map(function (li) { return li.getAttribute("data-m"); });
    var at = ids.indexOf(selected);
    var next;
    if (at < 0) {
      next = by > 0 ? 0 : ids.length - 1;
    } else {
      next = (at + by + ids.length) % ids.length;
    }
    select(ids[next], true);
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var link = target.closest("[data-select]");
    if (link) {
      event.preventDefault();
      select(link.getAttribute("data-select"), true);
      return;
    }
    var mark = target.closest("mark.m");
    if (mark && !mark.classList.contains("off")) {
      select(mark.getAttribute("data-m"), false);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var tag = event.target instanceof Element ? event.target.tagName : "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    if (event.key === "n" || event.key === "j") { step(1); event.preventDefault(); }
    else if (event.key === "p" || event.key === "k") { step(-1); event.preventDefault(); }
    else if (event.key === "Escape") { clear(); }
  });

  document.getElementById("next").addEventListener("click", function () { step(1); });
  document.getElementById("prev").addEventListener("click", function () { step(-1); });

  var themes = ["auto", "light", "dark"];
  var theme = 0;
  var themeButton = document.getElementById("theme");
  themeButton.addEventListener("click", function () {
    theme = (theme + 1) % themes.length;
    if (themes[theme] === "auto") document.documentElement.removeAttribute("data-theme");
    else document.documentElement.setAttribute("data-theme", themes[theme]);
    themeButton.textContent = "Theme: " + themes[theme];
  });

  function applyFilters() {
    var hidden = { sev: {}, code: {}, verdict: {} };
    document.querySelectorAll("#filters input[data-filter]").forEach(function (box) {
      if (!box.checked) hidden[box.getAttribute("data-filter")][box.value] = true;
    });
    function off(el) {
      var verdict = el.getAttribute("data-verdict");
      if (verdict !== null) return hidden.verdict[verdict] === true;
      return hidden.sev[el.getAttribute("data-sev")] === true || hidden.code[el.getAttribute("data-code")] === true;
    }
    document.querySelectorAll("mark.m, .finding-list li[data-m]").forEach(function (el) {
      el.classList.toggle("off", off(el));
    });
    if (selected !== null) {
      var first = document.getElementById(selected);
      if (first && first.classList.contains("off")) clear();
    }
  }
  document.getElementById("filters").addEventListener("change", applyFilters);
  document.getElementById("filters").addEventListener("submit", function (event) { event.preventDefault(); });

  if (location.hash.length > 1) select(decodeURIComponent(location.hash.slice(1)), true);
  document.documentElement.setAttribute("data-ready", "1");
})();
