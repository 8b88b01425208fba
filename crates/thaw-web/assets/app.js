// Thaw's only script: small conveniences on top of pages that work without it.
// 1. While you are active (typing, clicking), tell the server now and then, so a long journal
//    entry doesn't meet a locked vault when you save it.
// 2. When you've been away longer than your lock time, leave the page, so what's on screen
//    doesn't stay there for anyone walking by. Not if you've started writing something: then
//    the page stays, and saving it after unlocking keeps every word.
// 3. Installs the service worker that makes Thaw an app a phone can keep on its home screen and
//    shows a page of its own when the server can't be reached. It keeps only public files,
//    never a page or an answer (sw.js; docs/SECURITY.md).
(function () {
  "use strict";
  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }
})();
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-idle-seconds") || "0", 10);
  if (!idle) return;
  var lastActive = Date.now();
  var lastPing = Date.now();
  var writing = false;
  function active() { lastActive = Date.now(); }
  window.addEventListener("input", function () { writing = true; }, { capture: true });
  window.addEventListener("submit", function () { writing = false; }, { capture: true });
  ["keydown", "pointerdown", "input", "scroll", "focusin"].forEach(function (type) {
    window.addEventListener(type, active, { passive: true, capture: true });
  });
  setInterval(function () {
    var now = Date.now();
    if (now - lastActive >= idle * 1000 && !writing) {
      window.location.assign("/unlock?idle=1");
      return;
    }
    if (lastActive > lastPing && now - lastPing > 45000) {
      lastPing = now;
      fetch("/api/v1/status", { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) { if (s && s.unlocked === false && !writing) window.location.assign("/unlock?idle=1"); })
        .catch(function () {});
    }
  }, 5000);
})();
