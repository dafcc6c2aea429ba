// Matter picker: a search box above every <select data-matter-picker>. It
// asks /matters/pick?q= (which answers only matters the user may see, by
// 案号, title or party) and puts the hits into the select, which stays the
// field the form submits. Without this script the select lists the newest
// matters.
(function () {
  "use strict";
  function setup(select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "matter-search";
    box.placeholder = "搜索案号、案件名称或当事人";
    box.setAttribute("aria-label", "搜索案件");
    box.setAttribute("autocomplete", "off");
    if (select.id) { box.id = select.id + "-search"; }
    select.parentNode.insertBefore(box, select);
    var keep = [];
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === "") { keep.push(select.options[i].cloneNode(true)); }
    }
    var timer = null, seq = 0;
    function fill(list) {
      var chosen = select.value;
      while (select.options.length) { select.remove(0); }
      keep.forEach(function (o) { select.add(o.cloneNode(true)); });
      list.forEach(function (m) {
        var o = document.createElement("option");
        o.value = String(m.id);
        o.textContent = m.parties ? m.label + "（" + m.parties + "）" : m.label;
        select.add(o);
      });
      if (list.length === 0) {
        var none = document.createElement("option");
        none.disabled = true;
        none.textContent = "没有找到可以查看的案件";
        select.add(none);
      }
      // The first hit is chosen; an empty search keeps the earlier choice.
      if (box.value.trim() !== "" && list.length > 0) { select.value = String(list[0].id); }
      else { select.value = chosen; if (select.selectedIndex < 0) { select.selectedIndex = 0; } }
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function search() {
      var mine = ++seq;
      fetch("/matters/pick?q=" + encodeURIComponent(box.value.trim()), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (list) {
          if (mine !== seq) { return; }
          fill(list);
          select.setAttribute("data-results", String(list.length));
        })
        .catch(function () { select.setAttribute("data-results", "error"); });
    }
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    box.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); clearTimeout(timer); search(); } });
  }
  var all = document.querySelectorAll("select[data-matter-picker]");
  for (var i = 0; i < all.length; i++) { setup(all[i]); }
})();
