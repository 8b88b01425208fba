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

// 3. "Words that might fit" without leaving the page: the button asks this server (never anyone
//    else) for words for what is in the text box, and shows them as boxes to tick, unticked.
//    Without the script, the same button sends the form and the page comes back with the words.
(function () {
  "use strict";
  var csrf = document.body.getAttribute("data-csrf");
  if (!csrf || !window.fetch) return;
  Array.prototype.forEach.call(document.querySelectorAll("button[data-suggest]"), function (button) {
    button.addEventListener("click", function (event) {
      var form = button.form;
      var source = document.getElementById(button.getAttribute("data-suggest"));
      if (!form || !source) return;
      event.preventDefault();
      var title = document.getElementById("title");
      var text = (title && button.getAttribute("data-suggest") === "body" ? title.value + "\n" : "") + source.value;
      var field = button.getAttribute("data-field") || "word";
      fetch("/api/v1/suggest", {
        method: "POST",
        credentials: "same-origin",
        cache: "no-store",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ text: text })
      })
        .then(function (r) { if (!r.ok) throw new Error("status " + r.status); return r.json(); })
        .then(function (answer) { show(form, field, answer, button); })
        .catch(function () { form.requestSubmit ? form.requestSubmit(button) : form.submit(); });
    });
  });

  function show(form, field, answer, button) {
    var old = document.getElementById("suggested");
    if (old) old.parentNode.removeChild(old);
    var box = document.createElement("fieldset");
    box.id = "suggested";
    box.className = "suggested";
    var legend = document.createElement("legend");
    legend.textContent = "Might any of these words fit?";
    box.appendChild(legend);
    var hint = document.createElement("p");
    hint.className = "hint";
    var chosen = Array.prototype.map.call(form.querySelectorAll("input[name='" + field + "']"), function (i) {
      return i.value.toLowerCase();
    }).join(",");
    var words = (answer.suggestions || []).filter(function (s) { return chosen.indexOf(s.word.toLowerCase()) < 0; });
    if (answer.note) hint.textContent = answer.note;
    else if (!words.length) hint.textContent = "No new words came up this time. That's all right: not finding the word is part of this.";
    else hint.textContent = "Only you can tell. Tick any that fit, or none; they are added when you save.";
    box.appendChild(hint);
    words.forEach(function (s, i) {
      var row = document.createElement("div");
      row.className = "choice";
      var input = document.createElement("input");
      input.type = "checkbox";
      input.id = "suggested-" + (i + 1);
      input.name = field;
      input.value = s.word;
      var label = document.createElement("label");
      label.htmlFor = input.id;
      var strong = document.createElement("strong");
      strong.textContent = s.word;
      label.appendChild(strong);
      row.appendChild(input);
      row.appendChild(label);
      box.appendChild(row);
    });
    var actions = button.closest(".actions");
    form.insertBefore(box, actions);
    box.setAttribute("tabindex", "-1");
    box.focus();
  }
})();
