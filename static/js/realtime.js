/* Real-time recognition in the page: toasts, the bell count, catch-up after a reconnect,
 * live leaderboards, the public recognition feed and the "challenge opened" banner.
 *
 * Every text that comes from an event is inserted with textContent, never as HTML.
 * Hooks a page can offer:
 *   <body data-user-id>                   logged in: open /ws/notifications/
 *   <body data-community="slug">          on a community page: open /ws/communities/slug/
 *   [data-live-leaderboard][data-url]     re-fetched (HTML fragment) on leaderboard.changed
 *   [data-live-feed]                      a list that receives the public recognition feed
 *                                         (refetched as a fragment after a gap if it has data-url)
 */
(function () {
  "use strict";

  var MAX_TOASTS = 4;
  var TOAST_MS = 7000;
  var CATCH_UP_TOASTS = 3;
  var FEED_ITEMS = 20;
  var CATCH_UP_URL = "/api/v1/notifications/?after=";
  var body = document.body;
  var toasts = document.querySelector("[data-toasts]");
  var seen = {};
  var lastId = null;
  /* The newest notification this tab has shown, kept across page loads: what a form post earned
     arrives while the browser follows the redirect, and the next page toasts it. */
  var SEEN_KEY = "brandloop.seen." + (document.body.getAttribute("data-user-id") || "");
  /* A submitted form navigates away, but this page's socket stays open until the response
     arrives, so what the post earned is pushed HERE, to a page about to disappear. Once leaving,
     ids are still de-duplicated in memory but no longer bookmarked: the next page catches up. */
  var leaving = false;
  window.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) leaving = true;
  });
  window.addEventListener("pageshow", function () { leaving = false; });
  function remember(id) {
    lastId = Math.max(lastId || 0, id);
    if (leaving) return;
    try { window.sessionStorage.setItem(SEEN_KEY, String(lastId)); } catch (err) { /* private mode */ }
  }
  function remembered() {
    try {
      var value = parseInt(window.sessionStorage.getItem(SEEN_KEY), 10);
      return isNaN(value) ? null : value;
    } catch (err) { return null; }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function isSitePath(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/";
  }

  /* --- Toasts: polite live region, dismissable, expire, never more than MAX_TOASTS --- */
  function toast(title, text, url) {
    if (!toasts) return;
    var node = el("div", "toast"); // inside the aria-live .toasts region: announced once
    var words = el("div", "toast-text");
    var heading = el("p", "toast-title");
    if (isSitePath(url)) {
      var link = el("a", "toast-link", title);
      link.href = url;
      heading.appendChild(link);
    } else {
      heading.textContent = title;
    }
    words.appendChild(heading);
    if (text) words.appendChild(el("p", "toast-body", text));
    var close = el("button", "toast-close", "×");
    close.type = "button";
    close.setAttribute("aria-label", "Dismiss notification");
    node.appendChild(words);
    node.appendChild(close);
    var timer = window.setTimeout(remove, TOAST_MS);
    function remove() {
      window.clearTimeout(timer);
      if (node.parentNode) node.parentNode.removeChild(node);
    }
    close.addEventListener("click", remove);
    // Hovering or tabbing into a toast holds it; Escape dismisses the focused one.
    function hold() { window.clearTimeout(timer); }
    function release() { timer = window.setTimeout(remove, TOAST_MS); }
    node.addEventListener("mouseenter", hold);
    node.addEventListener("mouseleave", release);
    node.addEventListener("focusin", hold);
    node.addEventListener("focusout", release);
    node.addEventListener("keydown", function (key) {
      if (key.key === "Escape") remove();
    });
    toasts.appendChild(node);
    while (toasts.children.length > MAX_TOASTS) toasts.removeChild(toasts.firstElementChild);
  }

  /* --- Bell --- */
  function setBell(count) {
    var badge = document.querySelector("[data-bell-count]");
    var bell = document.querySelector("[data-bell]");
    if (!badge || typeof count !== "number") return;
    badge.textContent = String(count);
    badge.hidden = count === 0;
    if (bell) bell.setAttribute("aria-label", "Notifications, " + count + " unread");
  }

  function bumpBell(by) {
    var badge = document.querySelector("[data-bell-count]");
    if (!badge) return;
    setBell((parseInt(badge.textContent, 10) || 0) + by);
  }

  /* --- Banner when a challenge opens or an announcement is published --- */
  function banner(event) {
    var main = document.querySelector("main");
    if (!main) return;
    var isChallenge = event.type === "challenge.published";
    var node = el("div", "live-banner" + (isChallenge ? " is-challenge" : ""));
    node.setAttribute("role", "status");
    var words = el("p", "live-banner-text");
    words.appendChild(el("strong", null, isChallenge ? "New challenge: " : "Announcement: "));
    words.appendChild(document.createTextNode(event.title || ""));
    node.appendChild(words);
    if (isSitePath(event.url)) {
      var link = el("a", "btn btn-small btn-primary", isChallenge ? "Take part" : "Read it");
      link.href = event.url;
      node.appendChild(link);
    }
    var close = el("button", "live-banner-close", "×");
    close.type = "button";
    close.setAttribute("aria-label", "Dismiss");
    close.addEventListener("click", function () { node.parentNode.removeChild(node); });
    node.appendChild(close);
    main.insertBefore(node, main.firstChild);
  }

  /* --- Live leaderboard and public feed --- */
  function refreshLeaderboards() {
    document.querySelectorAll("[data-live-leaderboard][data-url]").forEach(function (board) {
      var url = board.getAttribute("data-url");
      if (!isSitePath(url)) return;
      fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null) return;
          // A fragment rendered by our own server from its own template, not event data.
          var fresh = new DOMParser().parseFromString(html, "text/html").body;
          board.replaceChildren.apply(board, Array.prototype.slice.call(fresh.childNodes));
          board.setAttribute("data-updated", String(Date.now()));
        })
        .catch(function () { /* the next change will try again */ });
    });
  }

  function refreshFeeds() {
    document.querySelectorAll("[data-live-feed][data-url]").forEach(function (list) {
      var url = list.getAttribute("data-url");
      if (!isSitePath(url)) return;
      fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null) return;
          var fresh = new DOMParser().parseFromString(html, "text/html").body;
          list.replaceChildren.apply(list, Array.prototype.slice.call(fresh.childNodes));
        })
        .catch(function () { /* the next gap or change will try again */ });
    });
  }

  function addToFeed(event) {
    document.querySelectorAll("[data-live-feed]").forEach(function (list) {
      var item = el("li", "feed-item", event.text);
      list.insertBefore(item, list.firstChild);
      while (list.children.length > FEED_ITEMS) list.removeChild(list.lastElementChild);
    });
  }

  /* --- Events --- */
  function once(key) {
    if (seen[key]) return false;
    seen[key] = true;
    return true;
  }

  function onRecognition(event) {
    if (typeof event.id === "number") {
      /* Replies to one topic update one unread item ("3 new replies"): same id, new count. */
      var key = "n" + event.id + (event.count > 1 ? ":" + event.count : "");
      if (!once(key)) return;
      remember(event.id);
    }
    if (event.toast) toast(event.title || "New recognition", event.body, event.url);
  }

  /* Catch-up after a reconnect: page through everything missed (the API answers a page at a
     time with has_more / next), retrying a failed page with backoff until it succeeds. One run
     at a time; a request for a newer bookmark while one runs is served when it ends. Items are
     shown once each (de-duplicated by notification id), toasts for the last few only. */
  var catching = false;
  var catchAgain = null;
  function catchUp(after) {
    if (catching) {
      catchAgain = Math.max(catchAgain || 0, after);
      return;
    }
    catching = true;
    var missed = [];
    var attempt = 0;
    function page(cursor) {
      fetch(CATCH_UP_URL + encodeURIComponent(cursor), { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("catch-up answered " + response.status);
          return response.json();
        })
        .then(function (data) {
          attempt = 0;
          data.results.forEach(function (n) {
            if (once("n" + n.id)) { remember(n.id); missed.push(n); }
          });
          setBell(data.unread_count);
          if (data.has_more) page(data.next);
          else finish();
        })
        .catch(function () {
          var delay = window.Brandloop.backoffDelay(attempt);
          attempt += 1;
          window.setTimeout(function () { page(cursor); }, delay);
        });
    }
    function finish() {
      var toasted = missed.filter(function (n) { return n.toast; });
      toasted.slice(-CATCH_UP_TOASTS).forEach(function (n) { toast(n.title, n.body, n.url); });
      if (toasted.length > CATCH_UP_TOASTS) {
        toast("While you were away", toasted.length + " new notifications", "/notifications/");
      }
      catching = false;
      body.setAttribute("data-caught-up", String(Date.now()));
      if (catchAgain !== null) {
        var next = catchAgain;
        catchAgain = null;
        catchUp(next);
      }
    }
    page(after);
  }

  /* --- Gaps: every community broadcast carries a sequence number per community (and per
     socket: a community page and the member's own socket hear different streams). Anything but
     last + 1 means something was missed: refetch what the events would have updated. --- */
  var lastSeq = { notifications: {}, community: {} };
  function refetch() {
    refreshLeaderboards();
    refreshFeeds();
    if (lastId !== null) catchUp(lastId);
    var count = (parseInt(body.getAttribute("data-refetched"), 10) || 0) + 1;
    body.setAttribute("data-refetched", String(count));
  }
  function checkSeq(name, event) {
    if (typeof event.seq !== "number" || event.community_id === undefined) return;
    var streams = lastSeq[name];
    var last = streams[event.community_id];
    streams[event.community_id] = event.seq;
    if (last !== undefined && event.seq !== last + 1) refetch();
  }

  function onEvent(event) {
    switch (event.type) {
      case "notifications.unread":
        setBell(event.count);
        if (typeof event.last_id === "number") {
          if (lastId === null) {
            var seen = remembered();
            if (seen !== null && event.last_id > seen) { lastId = seen; catchUp(seen); }
            else remember(event.last_id);
          } else if (event.last_id > lastId) catchUp(lastId);
        }
        break;
      case "leaderboard.changed":
        refreshLeaderboards();
        break;
      case "feed.recognition":
        addToFeed(event);
        break;
      case "challenge.published":
      case "announcement.published":
        var news = event.type + ":" + event.community_id + ":" + (event.url || event.title);
        if (once(news)) banner(event);
        /* Only the copy on the member's own socket carries "bell": a notification was stored
           for every member but the publisher. */
        if (event.bell && String(event.except_user_id) !== body.getAttribute("data-user-id") &&
            once("bell:" + news)) {
          bumpBell(event.bell);
        }
        break;
      case "pong":
      case "error":
      case "notifications.marked_read":
        break;
      default:
        if (event.user_id !== undefined) onRecognition(event);
    }
  }

  var LiveSocket = window.Brandloop && window.Brandloop.LiveSocket;
  if (!LiveSocket || !("WebSocket" in window)) return;
  /* data-live-<name>="on|off" on <body>: lets styles (and browser tests) know the state. */
  function connect(name, path) {
    new LiveSocket(path, {
      event: function (event) {
        checkSeq(name, event);
        onEvent(event);
      },
      open: function (reconnected) {
        body.setAttribute("data-live-" + name, "on");
        /* Whatever was broadcast while away is gone: start the streams afresh and refetch.
           (The notification socket's own catch-up starts from its notifications.unread.) */
        lastSeq[name] = {};
        if (reconnected && name === "community") refetch();
      },
      close: function () { body.setAttribute("data-live-" + name, "off"); },
    }).connect();
  }
  if (body.hasAttribute("data-user-id")) connect("notifications", "/ws/notifications/");
  var slug = body.getAttribute("data-community");
  if (slug && /^[-a-zA-Z0-9_]+$/.test(slug)) connect("community", "/ws/communities/" + slug + "/");
  window.Brandloop.realtime = { toast: toast, setBell: setBell };
})();
