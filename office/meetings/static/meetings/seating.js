// Drag one seat onto another to swap them: fills the swap form's two selects and submits it (the same
// POST as the form; without script the form alone does it).
(function () {
  var plan = document.getElementById("seating-plan");
  var form = document.getElementById("swap-form");
  if (!plan || !form) return;
  var dragged = null;
  plan.querySelectorAll("[data-seat]").forEach(function (seat) {
    seat.setAttribute("draggable", "true");
    seat.style.cursor = "move";
    seat.addEventListener("dragstart", function (e) {
      dragged = seat.getAttribute("data-seat");
      e.dataTransfer.setData("text/plain", dragged);
    });
    seat.addEventListener("dragover", function (e) { e.preventDefault(); });
    seat.addEventListener("drop", function (e) {
      e.preventDefault();
      var target = seat.getAttribute("data-seat");
      if (!dragged || dragged === target) return;
      form.querySelector("[name=a]").value = dragged;
      form.querySelector("[name=b]").value = target;
      form.submit();
    });
  });
})();
