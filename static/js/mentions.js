/* "@" suggestions in the post editor: type @ and the start of a member's name, pick one.
 *
 * Hook: a <form data-mentions="/api/v1/communities/<slug>/members/"> with textareas inside.
 * The textarea keeps the focus and points at a listbox (aria-controls, aria-expanded,
 * aria-activedescendant); Arrow keys move, Enter or Tab picks, Escape closes; a polite status
 * says how many members match. Names are inserted with textContent, never as HTML. Without
 * JavaScript the editor is a plain textarea and "@name" still works when the post is saved.
 */
(function () {
  "use strict";

  var TYPED = /(^|[^\w@.+-])@([\w.+-]{1,30})$/;
  var DELAY_MS = 150;
  var counter = 0;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function attach(textarea, url) {
    counter += 1;
    var id = "mention-list-" + counter;
    var list = el("ul", "mention-list");
    list.id = id;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Members to mention");
    list.hidden = true;
    var status = el("p", "visually-hidden");
    status.setAttribute("role", "status");
    textarea.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", id);
    textarea.setAttribute("aria-expanded", "false");

    var options = [];
    var active = -1;
    var typed = null; // {start, prefix}: the "@prefix" being completed
    var timer = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      list.replaceChildren();
      options = [];
      active = -1;
      textarea.setAttribute("aria-expanded", "false");
      textarea.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      active = index;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0) {
        textarea.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        textarea.removeAttribute("aria-activedescendant");
      }
    }

    function pick(index) {
      if (!typed || index < 0 || index >= options.length) return;
      var username = options[index].getAttribute("data-username");
      var value = textarea.value;
      var caret = textarea.selectionStart;
      var before = value.slice(0, typed.start) + "@" + username + " ";
      textarea.value = before + value.slice(caret);
      textarea.selectionStart = textarea.selectionEnd = before.length;
      typed = null;
      close();
      status.textContent = "Mentioned " + username;
      textarea.focus();
    }

    function show(results) {
      close();
      if (!results.length) {
        status.textContent = "No member matches";
        return;
      }
      results.forEach(function (member, i) {
        var option = el("li", "mention-option");
        option.id = id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-username", member.username);
        option.appendChild(el("span", "mention-username", "@" + member.username));
        if (member.name && member.name !== member.username) {
          option.appendChild(el("span", "mention-name", member.name));
        }
        // mousedown, not click: picking must not blur the textarea first.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(i);
        });
        list.appendChild(option);
        options.push(option);
      });
      list.hidden = false;
      textarea.setAttribute("aria-expanded", "true");
      highlight(0);
      status.textContent =
        results.length + (results.length === 1 ? " member matches" : " members match") +
        ", use the arrow keys and Enter to pick";
    }

    function lookUp() {
      var match = TYPED.exec(textarea.value.slice(0, textarea.selectionStart));
      if (!match) {
        typed = null;
        close();
        return;
      }
      typed = { start: textarea.selectionStart - match[2].length - 1, prefix: match[2] };
      var ask = ++asked;
      fetch(url + "?q=" + encodeURIComponent(match[2]), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (ask !== asked || !data || !typed) return; // a newer keystroke won
          show(data.results || []);
        })
        .catch(close);
    }

    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookUp, DELAY_MS);
    });
    textarea.addEventListener("keydown", function (event) {
      if (list.hidden || !options.length) return;
      if (event.key === "ArrowDown") {
        highlight((active + 1) % options.length);
      } else if (event.key === "ArrowUp") {
        highlight((active - 1 + options.length) % options.length);
      } else if (event.key === "Enter" || event.key === "Tab") {
        pick(active);
      } else if (event.key === "Escape") {
        typed = null;
        close();
      } else {
        return;
      }
      event.preventDefault();
    });
    textarea.addEventListener("blur", function () { window.setTimeout(close, 100); });
  }

  document.querySelectorAll("form[data-mentions]").forEach(function (form) {
    var url = form.getAttribute("data-mentions");
    if (!url || url.charAt(0) !== "/" || url.charAt(1) === "/") return;
    form.querySelectorAll("textarea").forEach(function (textarea) { attach(textarea, url); });
  });
})();
