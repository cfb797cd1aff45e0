// The QR code on the confirmation page opens /public/follow/#code=…: the fragment never reaches the
// server (no log holds the code); this fills the code box from it and forgets it.
(function () {
  "use strict";
  var match = /[#&]code=([0-9A-Za-z-]{10,20})/.exec(window.location.hash || "");
  var box = document.getElementById("id_code");
  if (match && box) {
    box.value = match[1];
    history.replaceState(null, "", window.location.pathname);
    var phone = document.getElementById("id_phone");
    if (phone) phone.focus();
  }
})();
