// The region picker: a searchable combobox over a region field (a <select> of regions on intake
// forms, a code box on list filters). Progressive enhancement: the original field stays in the form
// and is what is submitted; without this script it works as it is. Type a name (枫桥, 阳春) or the
// start of a code; arrow keys move, Enter picks, Escape closes; on a town, the right arrow lists the
// town's villages. Regions come from /regions/search.json, which offers only those the user may pick.
// WAI-ARIA combobox pattern (1.2): the input owns a listbox through aria-controls and points at the
// active option with aria-activedescendant; a polite live region says how many were found.
(function () {
  "use strict";
  var TOWN = 4;
  var DELAY = 200;
  var counter = 0;

  function text(el, key, fallback) {
    return el.getAttribute(key) || fallback;
  }

  function enhance(field) {
    counter += 1;
    var url = field.getAttribute("data-region-picker");
    var level = field.getAttribute("data-level") || "";
    // "prefix": a list filter matches the region and everything below it, so it stores the code's
    // significant digits (a town: 9); "code": an intake form stores the whole 12-digit code.
    var stores = field.getAttribute("data-stores") || "code";
    var isSelect = field.tagName === "SELECT";
    var id = field.id || "region-" + counter;
    var wrap = document.createElement("div");
    wrap.className = "region-picker";
    var input = document.createElement("input");
    input.type = "text";
    input.id = id + "_picker";
    input.className = field.className.replace("form-select", "form-control");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("placeholder", text(field, "data-placeholder", ""));
    if (field.hasAttribute("required")) {
      input.setAttribute("aria-required", "true");
    }
    if (field.getAttribute("aria-describedby")) {
      input.setAttribute("aria-describedby", field.getAttribute("aria-describedby"));
    }
    if (field.getAttribute("aria-invalid")) {
      input.setAttribute("aria-invalid", field.getAttribute("aria-invalid"));
    }
    var list = document.createElement("ul");
    list.id = id + "_options";
    list.className = "region-picker-options list-group";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var label = document.querySelector('label[for="' + id + '"]');
    if (label) {
      label.id = label.id || id + "_label";
      label.setAttribute("for", input.id);
      list.setAttribute("aria-labelledby", label.id);
    }
    input.setAttribute("aria-controls", list.id);
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");

    field.parentNode.insertBefore(wrap, field);
    wrap.appendChild(input);
    wrap.appendChild(list);
    wrap.appendChild(status);
    wrap.appendChild(field);
    // The original field keeps the value; it leaves the tab order and the accessibility tree.
    field.hidden = true;
    field.setAttribute("tabindex", "-1");
    field.setAttribute("aria-hidden", "true");

    var results = [];
    var picked = ""; // the label of the region the field holds
    var active = -1;
    var timer = null;
    var asked = 0;

    function stored(region) {
      if (stores !== "prefix") {
        return region.code;
      }
      var digits = { 1: 2, 2: 4, 3: 6, 4: 9, 5: 12 }[region.level] || 12;
      return region.code.slice(0, digits);
    }

    function current() {
      return field.value;
    }

    function setValue(region) {
      var value = region ? stored(region) : "";
      if (isSelect && region && !field.querySelector('option[value="' + value + '"]')) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = region.label;
        field.appendChild(option);
      }
      field.value = value;
      picked = region ? region.label : "";
      input.value = picked;
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = list.querySelectorAll('[role="option"]');
      if (!items.length) {
        return;
      }
      active = (index + items.length) % items.length;
      for (var i = 0; i < items.length; i++) {
        var on = i === active;
        items[i].setAttribute("aria-selected", on ? "true" : "false");
        items[i].classList.toggle("active", on);
      }
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function draw() {
      list.innerHTML = "";
      results.forEach(function (region, i) {
        var item = document.createElement("li");
        item.id = list.id + "_" + i;
        item.className = "list-group-item list-group-item-action region-level-" + region.level;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = region.label;
        var code = document.createElement("span");
        code.className = "region-code";
        code.textContent = " " + region.code;
        item.appendChild(code);
        item.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the input
          pick(i);
        });
        list.appendChild(item);
      });
      var none = field.getAttribute("data-none") || "";
      var found = field.getAttribute("data-found") || "";
      status.textContent = results.length ? found.replace("%s", results.length) : none;
      // "None found" is shown as well as spoken; the count of options only spoken.
      status.className = results.length ? "visually-hidden" : "form-text";
      if (results.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
    }

    function search(term, then) {
      asked += 1;
      var mine = asked;
      var address = url + "?q=" + encodeURIComponent(term) + (level ? "&level=" + level : "");
      fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (mine !== asked) {
            return; // an answer to an older term
          }
          results = data.results || [];
          (then || draw)();
        })
        .catch(function () {
          results = [];
          close();
        });
    }

    function pick(index) {
      var region = results[index];
      if (!region) {
        return;
      }
      setValue(region);
      close();
    }

    input.addEventListener("input", function () {
      if (!input.value.trim()) {
        setValue(null);
      }
      clearTimeout(timer);
      timer = setTimeout(function () {
        search(input.value.trim());
      }, DELAY);
    });
    input.addEventListener("focus", function () {
      if (list.hidden && !input.value) {
        search("");
      }
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (open) {
          highlight(active + 1);
        } else {
          search(input.value.trim(), function () {
            draw();
            highlight(0);
          });
        }
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active - 1);
      } else if (event.key === "ArrowRight" && open && active >= 0 && results[active].level === TOWN) {
        // A town: list it and its villages.
        event.preventDefault();
        var town = results[active];
        input.value = town.name;
        search(town.code.slice(0, 9), function () {
          draw();
          highlight(0);
        });
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault(); // pick, do not submit the form
        pick(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () {
      close();
      // Typed text that was not picked is not a value: show again what the field holds.
      input.value = current() ? picked : "";
      status.textContent = "";
    });

    // Show the value the form came with.
    if (current()) {
      if (isSelect && field.selectedIndex >= 0) {
        input.value = field.options[field.selectedIndex].textContent;
      }
      picked = input.value;
      var initial = current();
      search(initial, function () {
        var match = results.filter(function (r) {
          return stored(r) === initial;
        })[0];
        results = [];
        if (current() !== initial) {
          return; // picked something else meanwhile
        }
        picked = match ? match.label : picked || initial;
        if (document.activeElement !== input) {
          input.value = picked;
        }
      });
    }
  }

  document.querySelectorAll("[data-region-picker]").forEach(enhance);
})();
