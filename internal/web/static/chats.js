// Court printout: the print button (inline handlers are forbidden by CSP).
(function () {
  var button = document.getElementById("print-button");
  if (button) {
    button.addEventListener("click", function () { window.print(); });
  }
})();
