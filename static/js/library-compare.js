// Objective comparison: fold or unfold every section of the table at once (each also folds on its own).
// The buttons appear only with this script; without it every section is simply open.
(() => {
  const toggles = document.querySelector("[data-compare-toggles]");
  if (!toggles) return;
  toggles.hidden = false;
  toggles.addEventListener("click", (event) => {
    const button = event.target.closest("[data-compare-fold]");
    if (!button) return;
    const open = button.dataset.compareFold === "open";
    document.querySelectorAll("[data-testid=compare-table] details").forEach((details) => {
      details.open = open;
    });
  });
})();
