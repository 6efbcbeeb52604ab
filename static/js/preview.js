/* "Preview" under the post editors: asks the server to render the Markdown (the same sanitiser
   as a saved post) and shows the result below the form. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-preview]").forEach(function (form) {
    var button = form.querySelector("[data-preview-button]");
    var output = form.querySelector("[data-preview-output]");
    var body = form.querySelector("textarea[name=body]");
    if (!button || !output || !body) return;
    button.addEventListener("click", function () {
      var data = new FormData();
      data.append("body", body.value);
      data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
      fetch(form.dataset.preview, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          return response.text().then(function (text) { return { ok: response.ok, text: text }; });
        })
        .then(function (result) {
          output.hidden = false;
          if (result.ok && result.text) {
            // The server's safe renderer made this HTML (as for saved posts); parsed inertly.
            var doc = new DOMParser().parseFromString(result.text, "text/html");
            output.replaceChildren.apply(output, Array.from(doc.body.childNodes));
          } else if (result.ok) {
            output.textContent = "Nothing to preview yet.";
          } else {
            output.textContent = result.text;
          }
        });
    });
  });
})();
