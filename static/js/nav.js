/* Sub-navigation rows scroll sideways on a phone: bring the current page's link into view,
 * so "Invite friends" or "Manage redemptions" is not hidden past the right edge. */
(function () {
  "use strict";
  var links = document.querySelectorAll(".game-nav [aria-current='page']");
  Array.prototype.forEach.call(links, function (link) {
    var nav = link.parentElement;
    if (nav.scrollWidth <= nav.clientWidth) {
      return;
    }
    nav.scrollLeft = Math.max(0, link.offsetLeft - nav.offsetLeft - 16);
  });
})();
