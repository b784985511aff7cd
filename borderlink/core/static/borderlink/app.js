// BorderLink page behaviour: no inline scripts anywhere, so a strict CSP can forbid them.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.dataset.autosubmit !== undefined) {
    target.form.submit();
  }
});
