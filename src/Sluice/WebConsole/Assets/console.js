// The console's only script: copy buttons. Everything else works without script.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  if (!field) return;
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
  } catch {
    document.execCommand("copy");
  }
  const label = button.textContent;
  button.textContent = "Copied";
  setTimeout(() => { button.textContent = label; }, 2000);
});

// Live FilterQL validation in the audience editor: the form (with its antiforgery token) goes to the server a moment
// after typing stops; the answer says where the statement is wrong. The server decides; the script only shows it.
// Listening on the document keeps it working on pages that enhanced navigation patched in.
let checkTimer = 0;
let checksSent = 0;
document.addEventListener("input", (event) => {
  const area = event.target;
  if (!(area instanceof HTMLTextAreaElement) || !area.dataset.filterqlCheck) return;
  clearTimeout(checkTimer);
  checkTimer = setTimeout(async () => {
    const mine = ++checksSent;
    const live = document.getElementById(area.id + "-live");
    try {
      const response = await fetch(area.dataset.filterqlCheck, { method: "POST", body: new FormData(area.form) });
      if (!response.ok || mine !== checksSent || !live) return;
      const result = await response.json();
      live.textContent = result.ok
        ? "The definition is valid."
        : result.line ? `Line ${result.line}, column ${result.column}: ${result.reason}` : result.reason;
      live.className = "live-check " + (result.ok ? "valid" : "invalid");
      area.setAttribute("aria-invalid", result.ok ? "false" : "true");
    } catch {
      // Offline or signed out: the Check button still works.
    }
  }, 400);
});
