/* "Copy link" on the Invite friends page: clipboard when allowed, else select the text. */
(function () {
  "use strict";
  var button = document.querySelector("[data-copy-invite]");
  var field = document.querySelector("[data-invite-link]");
  var status = document.querySelector("[data-copy-status]");
  if (!button || !field) return;

  function say(text) {
    if (status) status.textContent = text;
  }

  button.addEventListener("click", function () {
    field.focus();
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(
        function () { say("Link copied."); },
        function () { say("Press Ctrl+C (or Cmd+C) to copy the selected link."); }
      );
    } else {
      say("Press Ctrl+C (or Cmd+C) to copy the selected link.");
    }
  });
})();
