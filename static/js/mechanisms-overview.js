// Print button of the States-by-mechanisms overview (no inline handlers: the CSP forbids them).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
