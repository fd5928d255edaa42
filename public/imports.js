// The CSV import's progress page, with JavaScript: polls the run's progress every second and moves the
// bar and the counters; reloads the page once the run is over, to show its final errors. Without
// JavaScript the page refreshes itself instead (a <noscript> refresh).
(function () {
  'use strict';
  var box = document.querySelector('[data-progress-url]');
  if (!box || box.getAttribute('data-finished') === 'true') return;
  var url = box.getAttribute('data-progress-url');
  var bar = box.querySelector('progress');
  var text = box.querySelector('[data-progress-text]');
  var status = box.querySelector('[data-progress-status]');
  var labels = { queued: 'Waiting for the worker', running: 'Importing', done: 'Done', failed: 'Stopped' };
  var number = new Intl.NumberFormat('en-US');

  function show(p) {
    bar.max = p.rowCount;
    bar.value = p.processed;
    bar.textContent = p.rowCount ? Math.round((p.processed / p.rowCount) * 100) + '%' : '';
    text.textContent = number.format(p.processed) + ' of ' + number.format(p.rowCount);
    status.textContent = labels[p.status] || p.status;
    Object.keys(p.counters).forEach(function (name) {
      var cell = box.querySelector('[data-counter="' + name + '"]');
      if (cell) cell.textContent = number.format(p.counters[name]);
    });
  }

  function poll() {
    fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) {
        if (!res.ok) throw new Error('status ' + res.status);
        return res.json();
      })
      .then(function (p) {
        show(p);
        if (p.finished) window.location.reload();
        else setTimeout(poll, 1000);
      })
      .catch(function () {
        setTimeout(poll, 5000); // a restarting server or a dropped connection: try again, more slowly
      });
  }
  setTimeout(poll, 1000);
})();
