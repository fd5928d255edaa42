// The interview form, with JavaScript: saves each answer as the buyer goes (the step's fields, posted to
// the form's autosave address), says so in a status line, ticks "another vendor" when one is typed, hides
// the questions asked only when a vendor is named while "none" is ticked, and moves focus to the error
// summary when the page shows one. Without JavaScript the form works the same, one plain POST per step
// (and the stylesheet hides those questions).
(function () {
  'use strict';
  var summary = document.querySelector('.error-summary');
  if (summary) summary.focus();

  var form = document.querySelector('form[data-autosave]');
  if (!form) return;

  // Questions about "the vendor you chose": hidden (and out of the reading order) while a choice that
  // names no vendor is ticked. The server drops any answer they still send.
  var needsVendor = form.querySelectorAll('[data-needs-vendor]');
  function showVendorQuestions() {
    var none = form.querySelector('input[data-no-vendor]:checked') !== null;
    for (var k = 0; k < needsVendor.length; k += 1) needsVendor[k].hidden = none;
  }
  if (needsVendor.length > 0) {
    showVendorQuestions();
    form.addEventListener('change', showVendorQuestions);
  }

  if (!window.fetch || !window.FormData || !window.URLSearchParams) return;
  var url = form.getAttribute('data-autosave');
  // The page says what is true without JavaScript (saved at each step); here every answer is saved.
  var promises = document.querySelectorAll('[data-autosave-text]');
  for (var i = 0; i < promises.length; i += 1) promises[i].textContent = promises[i].getAttribute('data-autosave-text');
  var status = form.querySelector('[data-autosave-status]');
  var timer = null;
  var inFlight = false;
  var again = false;
  var words = { saving: 'Saving…', saved: 'Saved', failed: 'Not saved yet: check the answers above.', offline: 'Not saved: no connection. We will try again.' };

  function say(text) {
    if (status) status.textContent = text;
  }

  function save() {
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    say(words.saving);
    var body = new URLSearchParams(new FormData(form));
    fetch(url, {
      method: 'POST',
      body: body,
      credentials: 'same-origin',
      headers: { accept: 'application/json' }
    })
      .then(function (res) {
        // "Saved" only when nothing newer waits to be saved.
        say(!res.ok ? words.failed : again || timer ? words.saving : words.saved);
      })
      .catch(function () {
        say(words.offline);
        setTimeout(save, 5000);
      })
      .then(function () {
        inFlight = false;
        if (again) {
          again = false;
          save();
        }
      });
  }

  function later(ms) {
    if (timer) clearTimeout(timer);
    say(words.saving);
    timer = setTimeout(function () {
      timer = null;
      save();
    }, ms);
  }

  form.addEventListener('change', function () {
    later(150);
  });
  form.addEventListener('input', function (event) {
    var target = event.target;
    if (target && target.getAttribute && target.getAttribute('data-other-choice') && target.value) {
      var choice = document.getElementById(target.getAttribute('data-other-choice'));
      if (choice) choice.checked = true;
    }
    if (target && (target.tagName === 'TEXTAREA' || target.type === 'text')) later(800);
  });
  // Leaving the page with a save pending: send it now.
  window.addEventListener('pagehide', function () {
    if (timer) {
      clearTimeout(timer);
      timer = null;
      if (navigator.sendBeacon) navigator.sendBeacon(url, new URLSearchParams(new FormData(form)));
    }
  });
  form.addEventListener('submit', function () {
    if (timer) clearTimeout(timer);
    timer = null;
  });
})();
