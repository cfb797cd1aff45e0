// Behaviour shared by every page. No inline scripts anywhere: the Content Security Policy forbids them.
document.addEventListener("submit", function (event) {
  // Forms that change something irreversibly carry data-confirm="question"; ask before sending.
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
