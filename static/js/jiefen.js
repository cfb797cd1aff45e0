// Behaviour shared by every page. No inline scripts anywhere: the Content Security Policy forbids them.
document.addEventListener("submit", function (event) {
  // Forms that change something irreversibly carry data-confirm="question"; ask before sending.
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

document.addEventListener("click", function (event) {
  // Print buttons (templates/cases/_print_button.html): the print stylesheet in jiefen.css hides the
  // navigation, forms and buttons.
  var button = event.target.closest && event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
// Long texts: the limit the page prints ("at most 200 characters") becomes a live count.
function jiefenCounters(root) {
  root.querySelectorAll("[data-count-for]").forEach(function (counter) {
    var field = document.getElementById(counter.getAttribute("data-count-for"));
    if (!field || counter.hasAttribute("data-counting")) {
      return;
    }
    counter.setAttribute("data-counting", "");
    var limit = Number(counter.getAttribute("data-limit"));
    var update = function () {
      var count = Array.from(field.value).length;
      counter.textContent = counter.getAttribute("data-count-text").replace("%(count)s", count);
      counter.classList.toggle("text-danger", count > limit * 0.9);
    };
    field.addEventListener("input", update);
    update();
  });
}
jiefenCounters(document);

// "Add a party": copy the row template of a Django formset, give it the next index and count it.
document.querySelectorAll("[data-add-party]").forEach(function (button) {
  var prefix = button.getAttribute("data-add-party");
  var form = button.closest("form");
  var total = form.querySelector("#id_" + prefix + "-TOTAL_FORMS");
  var most = form.querySelector("#id_" + prefix + "-MAX_NUM_FORMS");
  var rows = form.querySelector("[data-party-rows]");
  var template = form.querySelector("template[data-party-template]");
  button.hidden = false;
  button.addEventListener("click", function () {
    var index = Number(total.value);
    if (most && index >= Number(most.value)) {
      return;
    }
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.firstElementChild;
    row.querySelector("[data-party-number]").textContent = String(index + 1);
    rows.appendChild(row);
    total.value = String(index + 1);
    jiefenCounters(row);
    jiefenIdKeys(row);
    var first = row.querySelector("input:not([type=checkbox]), select");
    if (first) {
      first.focus();
    }
  });
});

// The phone's "take a photo" form: the photo chosen is the whole step, so it is sent at once.
document.querySelectorAll("form[data-submit-on-choose] input[type=file]").forEach(function (input) {
  input.addEventListener("change", function () {
    if (input.files && input.files.length) {
      input.form.submit();
    }
  });
});

// List filters fold behind one button on a phone; on a desk they are open from the start.
if (window.matchMedia && window.matchMedia("(min-width: 576px)").matches) {
  document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
    details.open = true;
  });
}

// An ID number brings up the number pad, which has no X: on a touch screen an "X" key beside the
// field types the last character of numbers that end in X.
function jiefenIdKeys(root) {
  root.querySelectorAll("input[data-id-number]").forEach(function (field) {
    if (field.nextElementSibling && field.nextElementSibling.classList.contains("id-x-key")) {
      return;
    }
    var key = document.createElement("button");
    key.type = "button";
    key.className = "btn btn-outline-secondary btn-sm id-x-key";
    key.textContent = "X";
    key.setAttribute("aria-label", field.getAttribute("data-x-label") || "X");
    key.addEventListener("click", function () {
      field.value = field.value.replace(/[xX]$/, "") + "X";
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.focus();
    });
    field.insertAdjacentElement("afterend", key);
  });
}
jiefenIdKeys(document);
