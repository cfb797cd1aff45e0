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
