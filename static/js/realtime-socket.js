/* A websocket that keeps itself connected: exponential backoff with jitter, keep-alive pings.
 * No framework. Exposes window.Brandloop.LiveSocket for static/js/realtime.js. */
(function () {
  "use strict";

  var FINAL_CLOSE_CODES = [4401, 4404]; // not logged in / may not view: retrying won't help
  var BASE_DELAY_MS = 1000;
  var MAX_DELAY_MS = 30000;
  var PING_EVERY_MS = 25000;

  function socketUrl(path) {
    var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    return scheme + "//" + window.location.host + path;
  }

  /* Delay before reconnect attempt n (0-based): doubles each time, capped, with jitter so
   * a thousand tabs dropped by one restart don't all come back in the same instant. */
  function backoffDelay(attempt) {
    var ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * Math.pow(2, attempt));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  function LiveSocket(path, handlers) {
    this.url = socketUrl(path);
    this.handlers = handlers || {};
    this.attempt = 0;
    this.opened = 0;
    this.socket = null;
    this.pingTimer = null;
    this.retryTimer = null;
    this.stopped = false;
  }

  LiveSocket.prototype.connect = function () {
    var self = this;
    var socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener("open", function () {
      self.attempt = 0;
      self.opened += 1;
      self.pingTimer = window.setInterval(function () {
        self.send({ type: "ping" });
      }, PING_EVERY_MS);
      if (self.handlers.open) self.handlers.open(self.opened > 1);
    });
    socket.addEventListener("message", function (message) {
      var event;
      try {
        event = JSON.parse(message.data);
      } catch (err) {
        return;
      }
      if (event && typeof event.type === "string" && self.handlers.event) {
        self.handlers.event(event);
      }
    });
    socket.addEventListener("close", function (closed) {
      window.clearInterval(self.pingTimer);
      if (self.handlers.close) self.handlers.close(closed.code);
      if (self.stopped || FINAL_CLOSE_CODES.indexOf(closed.code) !== -1) return;
      var delay = backoffDelay(self.attempt);
      self.attempt += 1;
      self.retryTimer = window.setTimeout(function () {
        self.connect();
      }, delay);
    });
  };

  LiveSocket.prototype.send = function (message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(message));
    }
  };

  LiveSocket.prototype.stop = function () {
    this.stopped = true;
    window.clearTimeout(this.retryTimer);
    window.clearInterval(this.pingTimer);
    if (this.socket) this.socket.close();
  };

  window.Brandloop = window.Brandloop || {};
  window.Brandloop.LiveSocket = LiveSocket;
  window.Brandloop.backoffDelay = backoffDelay;
})();
