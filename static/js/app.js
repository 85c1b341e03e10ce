// Cascading region picker: <div class="region-picker" data-root="CODE" data-root-level="LEVEL"
// data-target="INPUT_ID" data-value="CODE"> fills one <select> per level below the user's scope.
(function () {
  "use strict";
  const LEVELS = ["province", "city", "county", "township", "village"];
  const LABELS = { city: "市", county: "县(区)", township: "乡镇(街道)", village: "村(居)" };
  const SIGNIFICANT = { province: 2, city: 4, county: 6, township: 9, village: 12 };

  async function children(code, source) {
    const response = await fetch((source || "/regions/children/") + "?parent=" + encodeURIComponent(code), {
      credentials: "same-origin",
    });
    if (!response.ok) return [];
    return (await response.json()).children;
  }

  function initPicker(root) {
    const target = document.getElementById(root.dataset.target);
    const rootCode = root.dataset.root;
    const deepest = root.dataset.deepest || "village";
    // Public pages read the same tree without login (data-source="/public/places/").
    const source = root.dataset.source || "";
    const selects = [];

    async function addLevel(parentCode, preset) {
      const options = await children(parentCode, source);
      if (!options.length) return;
      const level = options[0].level;
      if (LEVELS.indexOf(level) > LEVELS.indexOf(deepest)) return;
      const select = document.createElement("select");
      select.setAttribute("aria-label", LABELS[level] || level);
      select.dataset.level = level;
      select.appendChild(new Option("全部" + (LABELS[level] || ""), ""));
      for (const option of options) select.appendChild(new Option(option.name, option.code));
      root.appendChild(select);
      selects.push(select);
      select.addEventListener("change", async () => {
        const index = selects.indexOf(select);
        for (const extra of selects.splice(index + 1)) extra.remove();
        if (select.value) {
          target.value = select.value;
          await addLevel(select.value, null);
        } else {
          target.value = index > 0 ? selects[index - 1].value : "";
        }
      });
      if (preset) {
        const wanted = options.find((o) => preset.startsWith(o.code.slice(0, SIGNIFICANT[level])));
        if (wanted) {
          select.value = wanted.code;
          if (wanted.code !== preset) await addLevel(wanted.code, preset);
        }
      }
    }
    addLevel(rootCode, root.dataset.value || target.value || null);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".region-picker").forEach(initPicker);
    document.querySelectorAll("[data-add-row]").forEach((button) => {
      button.addEventListener("click", () => {
        const prefix = button.dataset.addRow;
        const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
        const template = document.getElementById(prefix + "-empty").innerHTML;
        const row = template.replace(/__prefix__/g, total.value);
        document.getElementById(prefix + "-rows").insertAdjacentHTML("beforeend", row);
        total.value = parseInt(total.value, 10) + 1;
      });
    });
  });
})();

// Side menu: the whole menu collapses (remembered per browser) and each group folds; the group
// holding the current page always stays open.
(function () {
  "use strict";
  const KEY = "safetynet.sidebar";
  document.addEventListener("DOMContentLoaded", () => {
    const toggle = document.getElementById("sidebar-toggle");
    let folded = {};
    try {
      folded = JSON.parse(localStorage.getItem(KEY) || "{}");
    } catch (e) {
      folded = {};
    }
    const save = () => localStorage.setItem(KEY, JSON.stringify(folded));
    if (folded.__collapsed) document.body.classList.add("sidebar-collapsed");
    if (toggle) {
      toggle.setAttribute("aria-expanded", folded.__collapsed ? "false" : "true");
      toggle.addEventListener("click", () => {
        document.body.classList.toggle("sidebar-collapsed");
        folded.__collapsed = document.body.classList.contains("sidebar-collapsed");
        toggle.setAttribute("aria-expanded", folded.__collapsed ? "false" : "true");
        save();
      });
    }
    document.querySelectorAll("details.menu-group").forEach((group) => {
      const name = group.dataset.group;
      if (folded[name] && !group.querySelector("a.current")) group.open = false;
      group.addEventListener("toggle", () => {
        folded[name] = !group.open;
        save();
      });
    });
  });
})();

// Confirmation before a destructive form posts (<form data-confirm="…">) and the "back" link of
// the error pages (<a data-back>): here rather than in inline handlers, which the
// Content-Security-Policy does not run.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a[data-back]") : null;
  if (link) {
    event.preventDefault();
    history.back();
  }
});
