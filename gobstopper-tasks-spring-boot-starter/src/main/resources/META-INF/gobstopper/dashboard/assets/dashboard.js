/*
 * The gobstopper-tasks dashboard. Plain JavaScript, no build step. It reads config.json (beside the page) for the
 * REST API's base path and the read-only flag, then follows the task events stream; while the stream is down it
 * polls the REST API every 2 s and tries the stream again every 15 s. Throughput, rates and percentiles are computed
 * here, from the tasks the page has seen (seeded with the newest ended tasks at load).
 */
(function () {
  'use strict';

  var STATUSES = ['PENDING', 'STARTED', 'RETRY', 'SUCCESS', 'FAILED', 'CANCELLED'];
  var TASK_EVENTS = ['submitted', 'started', 'progress', 'succeeded', 'failed', 'retry', 'cancelled'];
  var POLL_MS = 2000;
  var STREAM_RETRY_MS = 15000;
  var CHART_MINUTES = 30;
  var SEED_LIMIT = 200;
  var KEEP_DURATIONS = 500;

  var config = { apiBase: '/api/tasks', readOnly: false, chart: false };
  var state = {
    stats: null,
    running: new Map(),       // id -> task (STARTED)
    ended: new Map(),         // id -> completedAt already counted
    endedAt: [],              // [{category, at}] for the per-category rate
    perMinute: new Map(),     // minute (ms) -> {succeeded, failed}
    durations: new Map(),     // name -> [seconds]
    filter: { status: '', category: '', name: '' },
    limit: 25,
    offset: 0,
    total: 0,
    mode: 'connecting'
  };
  var stream = null;
  var pollTimer = null;
  var streamRetryTimer = null;
  var tableTimer = null;
  var chart = null;

  // ---- small helpers ----

  function $(id) { return document.getElementById(id); }

  /** Builds an element; children are nodes or strings (set as text, never parsed as HTML). */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) { return; }
        if (key === 'text') { node.textContent = value; }
        else if (key === 'className') { node.className = value; }
        else if (key === 'onclick') { node.addEventListener('click', value); }
        else { node.setAttribute(key, value === true ? '' : value); }
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) { continue; }
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function time(iso) {
    if (!iso) { return '—'; }
    var d = new Date(iso);
    return d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  function seconds(value) {
    if (value === null || value === undefined) { return '—'; }
    return value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value).toString();
  }

  function cookie(name) {
    var match = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
    return match ? decodeURIComponent(match[1]) : null;
  }

  // ---- the REST API ----

  /** Calls the REST API; on an error answer, throws an Error whose message is the problem's detail. */
  function api(method, path, body) {
    var headers = { Accept: 'application/json' };
    if (method !== 'GET') {
      var token = cookie('XSRF-TOKEN');
      if (token) { headers['X-XSRF-TOKEN'] = token; }
    }
    if (body !== undefined) { headers['Content-Type'] = 'application/json'; }
    return fetch(config.apiBase + path, {
      method: method,
      headers: headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      if (response.status === 204) { return null; }
      return response.text().then(function (text) {
        var json = null;
        try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
        if (!response.ok) {
          var detail = json && (json.detail || json.title);
          throw new Error(detail || (method + ' ' + path + ' answered ' + response.status));
        }
        return json;
      });
    });
  }

  function notify(message) {
    $('notice-text').textContent = message;
    $('notice').hidden = false;
  }

  // ---- what the page has seen ----

  /** Takes in one task as the server reported it, from an event or a listing. */
  function observe(task) {
    if (task.status === 'STARTED') {
      state.running.set(task.id, task);
    } else {
      state.running.delete(task.id);
    }
    if ((task.status === 'SUCCESS' || task.status === 'FAILED') && task.completedAt
        && state.ended.get(task.id) !== task.completedAt) {
      state.ended.set(task.id, task.completedAt);
      var at = Date.parse(task.completedAt);
      var minute = Math.floor(at / 60000) * 60000;
      var bucket = state.perMinute.get(minute) || { succeeded: 0, failed: 0 };
      bucket[task.status === 'SUCCESS' ? 'succeeded' : 'failed']++;
      state.perMinute.set(minute, bucket);
      state.endedAt.push({ category: task.category, at: at });
      if (task.status === 'SUCCESS' && typeof task.elapsedSeconds === 'number') {
        var list = state.durations.get(task.name) || [];
        list.push(task.elapsedSeconds);
        if (list.length > KEEP_DURATIONS) { list.shift(); }
        state.durations.set(task.name, list);
      }
    }
  }

  function forget(old) {
    var limit = Date.now() - (CHART_MINUTES + 1) * 60000;
    state.perMinute.forEach(function (value, minute) { if (minute < limit) { state.perMinute.delete(minute); } });
    state.endedAt = state.endedAt.filter(function (item) { return item.at >= Date.now() - 60000; });
    if (state.ended.size > 5000) { state.ended.clear(); }
    return old;
  }

  function percentile(sorted, p) {
    if (!sorted.length) { return null; }
    var rank = Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.min(Math.max(rank, 0), sorted.length - 1)];
  }

  // ---- rendering ----

  function renderStats() {
    var stats = state.stats;
    if (!stats) { return; }
    var counters = $('counters');
    clear(counters);
    counters.appendChild(el('div', { className: 'counter total' },
      el('span', { className: 'value', text: String(stats.total) }), el('span', { className: 'label', text: 'total' })));
    STATUSES.forEach(function (status) {
      var count = (stats.byStatus && stats.byStatus[status]) || 0;
      counters.appendChild(el('button', {
        type: 'button', className: 'counter status-' + status.toLowerCase(), 'data-status': status,
        title: 'Show ' + status + ' tasks',
        onclick: function () { $('filter-status').value = status; filtersChanged(); }
      }, el('span', { className: 'value', text: String(count) }), el('span', { className: 'label', text: status.toLowerCase() })));
    });
    renderCategories();
    renderUnrunnable(stats.unrunnable || []);
    fillSelect($('filter-category'), Object.keys(Object.assign({}, stats.byCategory || {}, stats.queues || {})));
    fillSelect($('filter-name'), stats.registeredTasks || []);
  }

  /** The stored tasks whose name no task is registered under: shown only while there are some. */
  function renderUnrunnable(unrunnable) {
    $('unrunnable-card').hidden = unrunnable.length === 0;
    var body = $('unrunnable').tBodies[0];
    clear(body);
    unrunnable.forEach(function (tasks) {
      var actions = el('td', { className: 'write' });
      if (!config.readOnly) {
        var path = '/unrunnable/' + encodeURIComponent(tasks.name);
        actions.appendChild(el('button', { type: 'button', className: 'action', 'data-action': 'fail-unrunnable',
          'data-name': tasks.name, text: 'fail',
          onclick: function () {
            confirmThen('Fail the ' + tasks.count + ' waiting ' + tasks.name + ' tasks without running them?',
              function () { return api('POST', path + '/fail').then(refreshSoon); });
          } }));
        actions.appendChild(el('button', { type: 'button', className: 'action', 'data-action': 'delete-unrunnable',
          'data-name': tasks.name, text: 'delete',
          onclick: function () {
            confirmThen('Delete the ' + tasks.count + ' waiting ' + tasks.name + ' tasks?',
              function () { return api('DELETE', path).then(refreshSoon); });
          } }));
      }
      body.appendChild(el('tr', { 'data-name': tasks.name },
        el('td', { text: tasks.name }),
        el('td', { className: 'num', text: String(tasks.count) }),
        el('td', { className: 'muted', text: tasks.reason }),
        actions));
    });
  }

  function fillSelect(select, values) {
    var current = select.value;
    var wanted = [''].concat(values.slice().sort());
    var have = Array.prototype.map.call(select.options, function (o) { return o.value; });
    if (have.join('\u0000') === wanted.join('\u0000')) { return; }
    clear(select);
    wanted.forEach(function (value) { select.appendChild(el('option', { value: value, text: value || 'all' })); });
    if (current && wanted.indexOf(current) < 0) { select.appendChild(el('option', { value: current, text: current })); }
    select.value = current;
  }

  function renderCategories() {
    var queues = (state.stats && state.stats.queues) || {};
    var body = $('categories').tBodies[0];
    var rates = {};
    forget();
    state.endedAt.forEach(function (item) { rates[item.category] = (rates[item.category] || 0) + 1; });
    var editing = document.activeElement && document.activeElement.closest && document.activeElement.closest('#categories');
    if (editing) { return; }  // do not replace the input the user types in
    clear(body);
    Object.keys(queues).sort().forEach(function (category) {
      var queue = queues[category];
      var workers = config.readOnly ? el('span', { text: String(queue.workers) })
        : el('form', { className: 'resize', 'data-category': category },
            el('input', { type: 'number', min: '0', max: '256', value: String(queue.workers), name: 'workers',
              'aria-label': 'workers of ' + category }),
            el('button', { type: 'submit', text: 'set' }));
      if (workers.tagName === 'FORM') {
        workers.addEventListener('submit', function (event) {
          event.preventDefault();
          var value = parseInt(workers.elements.workers.value, 10);
          api('PUT', '/categories/' + encodeURIComponent(category) + '/workers', { workers: value })
            .then(function () { workers.elements.workers.blur(); refreshStats(); })
            .catch(function (error) { notify(error.message); });
        });
      }
      body.appendChild(el('tr', null,
        el('td', { text: category }),
        el('td', { className: 'num', text: String(queue.queued) }),
        el('td', { className: 'num', text: String(queue.running) }),
        el('td', { className: 'num' }, workers),
        el('td', { className: 'num', text: String(rates[category] || 0) })));
    });
  }

  function progressBar(task) {
    var percent = Math.max(0, Math.min(100, task.progress || 0));
    var bar = el('div', { className: 'bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100',
      'aria-valuenow': String(percent), 'data-task-id': task.id }, el('span'));
    bar.firstChild.style.width = percent + '%';
    return bar;
  }

  function setProgress(bar, percent) {
    bar.setAttribute('aria-valuenow', String(percent));
    bar.firstChild.style.width = percent + '%';
  }

  /** Updates the running list in place, so that the bars glide rather than jump. */
  function renderRunning() {
    var list = $('running');
    var tasks = Array.from(state.running.values()).sort(function (a, b) {
      return (a.startedAt || '').localeCompare(b.startedAt || '');
    });
    var items = {};
    Array.prototype.forEach.call(list.children, function (item) { items[item.getAttribute('data-task-id')] = item; });
    tasks.forEach(function (task) {
      var item = items[task.id];
      delete items[task.id];
      if (!item) {
        item = el('li', { 'data-task-id': task.id },
          el('div', { className: 'running-head' },
            el('button', { type: 'button', className: 'link name', text: task.name, onclick: function () { openDetail(task.id); } }),
            el('span', { className: 'muted', text: task.category }),
            el('span', { className: 'percent' })),
          progressBar(task),
          el('div', { className: 'message muted' }));
      }
      var percent = Math.max(0, Math.min(100, task.progress || 0));
      item.querySelector('.percent').textContent = percent + '%';
      setProgress(item.querySelector('.bar'), percent);
      item.querySelector('.message').textContent = task.progressMessage || '';
      list.appendChild(item);  // appending an existing child moves it: the list ends up in start order
    });
    Object.keys(items).forEach(function (id) { list.removeChild(items[id]); });
    $('running-count').textContent = tasks.length ? String(tasks.length) : '';
    $('running-empty').hidden = tasks.length > 0;
  }

  function renderPercentiles() {
    var body = $('percentiles').tBodies[0];
    clear(body);
    Array.from(state.durations.keys()).sort().forEach(function (name) {
      var sorted = state.durations.get(name).slice().sort(function (a, b) { return a - b; });
      body.appendChild(el('tr', null,
        el('td', { text: name }),
        el('td', { className: 'num', text: String(sorted.length) }),
        el('td', { className: 'num', text: seconds(percentile(sorted, 50)) }),
        el('td', { className: 'num', text: seconds(percentile(sorted, 95)) })));
    });
    if (!state.durations.size) {
      body.appendChild(el('tr', null, el('td', { colspan: '4', className: 'empty', text: 'No succeeded task seen yet.' })));
    }
  }

  function renderChart() {
    if (!window.Chart) { $('chart-missing').hidden = config.chart; return; }
    forget();
    var now = Math.floor(Date.now() / 60000) * 60000;
    var labels = [], succeeded = [], failed = [];
    for (var i = CHART_MINUTES - 1; i >= 0; i--) {
      var minute = now - i * 60000;
      var bucket = state.perMinute.get(minute) || { succeeded: 0, failed: 0 };
      labels.push(new Date(minute).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }));
      succeeded.push(bucket.succeeded);
      failed.push(bucket.failed);
    }
    if (!chart) {
      chart = new window.Chart($('throughput'), {
        type: 'bar',
        data: { labels: labels, datasets: [
          { label: 'succeeded', data: succeeded, backgroundColor: '#2f9e6b', stack: 'ended' },
          { label: 'failed', data: failed, backgroundColor: '#d6455d', stack: 'ended' }
        ] },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          scales: { x: { stacked: true, ticks: { maxRotation: 0, autoSkipPadding: 12 } },
                    y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
          plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } }
        }
      });
    } else {
      chart.data.labels = labels;
      chart.data.datasets[0].data = succeeded;
      chart.data.datasets[1].data = failed;
      chart.update('none');
    }
  }

  function renderAll() {
    renderStats();
    renderRunning();
    renderPercentiles();
    renderChart();
  }

  // ---- the task table ----

  function actionButtons(task, onDone) {
    if (config.readOnly) { return []; }
    var buttons = [];
    function button(action, label, question, call) {
      buttons.push(el('button', { type: 'button', className: 'action action-' + action, 'data-action': action,
        'data-task-id': task.id, text: label,
        onclick: function (event) {
          event.stopPropagation();
          confirmThen(question, function () {
            return call().then(function () { refreshSoon(); if (onDone) { onDone(); } });
          });
        } }));
    }
    var label = task.name + ' (' + task.id.slice(-8) + ')';
    if (task.status === 'PENDING' || task.status === 'RETRY' || task.status === 'STARTED') {
      button('cancel', 'cancel', 'Cancel ' + label + '?', function () { return api('POST', '/' + task.id + '/cancel'); });
    }
    if (task.status === 'FAILED' || task.status === 'CANCELLED') {
      button('retry', 'retry', 'Run ' + label + ' again?', function () { return api('POST', '/' + task.id + '/retry'); });
    }
    if (task.status === 'SUCCESS' || task.status === 'FAILED' || task.status === 'CANCELLED') {
      button('delete', 'delete', 'Delete ' + label + ' for good?', function () { return api('DELETE', '/' + task.id); });
    }
    return buttons;
  }

  function statusBadge(task) {
    return el('span', { className: 'badge status-' + task.status.toLowerCase(), text: task.status.toLowerCase() });
  }

  function renderTable(page) {
    var body = $('tasks').tBodies[0];
    clear(body);
    page.tasks.forEach(function (task) {
      observe(task);
      var actions = el('td', { className: 'write actions-cell' });
      actionButtons(task).forEach(function (button) { actions.appendChild(button); });
      var row = el('tr', { 'data-task-id': task.id, 'data-status': task.status, tabindex: '0' },
        el('td', null, el('span', { className: 'name', text: task.name }), el('span', { className: 'id muted', text: task.id.slice(-8) })),
        el('td', null, statusBadge(task)),
        el('td', { text: task.category }),
        el('td', { text: task.priority.toLowerCase() }),
        el('td', { className: 'nowrap', text: time(task.createdAt) }),
        el('td', { className: 'num', text: seconds(task.elapsedSeconds) }),
        el('td', { className: 'progress-cell' }, progressBar(task)),
        el('td', { className: 'num', text: task.retryCount + '/' + task.maxRetries }),
        actions);
      row.addEventListener('click', function () { openDetail(task.id); });
      row.addEventListener('keydown', function (event) { if (event.key === 'Enter') { openDetail(task.id); } });
      body.appendChild(row);
    });
    if (!page.tasks.length) {
      body.appendChild(el('tr', null, el('td', { colspan: '9', className: 'empty', text: 'No tasks match.' })));
    }
    state.total = page.total;
    var first = page.total ? page.offset + 1 : 0;
    $('page-info').textContent = first + '–' + (page.offset + page.count) + ' of ' + page.total;
    $('page-prev').disabled = page.offset === 0;
    $('page-next').disabled = page.offset + page.count >= page.total;
  }

  function query() {
    var params = new URLSearchParams();
    Object.keys(state.filter).forEach(function (key) { if (state.filter[key]) { params.set(key, state.filter[key]); } });
    params.set('limit', String(state.limit));
    params.set('offset', String(state.offset));
    return '?' + params.toString();
  }

  function refreshTable() {
    return api('GET', query()).then(renderTable);
  }

  /** Re-reads the table at most once a second, however many events arrive. */
  function refreshSoon() {
    if (tableTimer) { return; }
    tableTimer = setTimeout(function () {
      tableTimer = null;
      refreshTable().then(renderAll).catch(function (error) { notify(error.message); });
    }, 300);
  }

  function filtersChanged() {
    state.filter.status = $('filter-status').value;
    state.filter.category = $('filter-category').value;
    state.filter.name = $('filter-name').value;
    state.offset = 0;
    refreshTable().catch(function (error) { notify(error.message); });
  }

  // ---- detail and confirmation ----

  function json(value) {
    return value === null || value === undefined ? '—' : JSON.stringify(value, null, 2);
  }

  function openDetail(id) {
    api('GET', '/' + encodeURIComponent(id)).then(function (task) {
      observe(task);
      $('detail-title').textContent = task.name;
      var body = $('detail-body');
      clear(body);
      var fields = [
        ['id', task.id], ['status', statusBadge(task)], ['category', task.category], ['priority', task.priority],
        ['attempts', 'retries ' + task.retryCount + ' of ' + task.maxRetries],
        ['created', time(task.createdAt)], ['run at', time(task.runAt)], ['started', time(task.startedAt)],
        ['completed', time(task.completedAt)], ['elapsed', seconds(task.elapsedSeconds) + ' s'],
        ['progress', (task.progress || 0) + '%' + (task.progressMessage ? ' — ' + task.progressMessage : '')],
        ['unique key', task.uniqueKey || '—'],
        ['depends on', task.dependsOn && task.dependsOn.length ? task.dependsOn.join(', ') : '—'],
        ['node', task.nodeId || '—']
      ];
      var list = el('dl', { className: 'fields' });
      fields.forEach(function (field) {
        list.appendChild(el('dt', { text: field[0] }));
        list.appendChild(typeof field[1] === 'string' ? el('dd', { text: field[1] }) : el('dd', null, field[1]));
      });
      body.appendChild(list);
      body.appendChild(el('h3', { text: 'arguments' }));
      body.appendChild(el('pre', { text: json({ args: task.args, kwargs: task.kwargs }) }));
      body.appendChild(el('h3', { text: 'result' }));
      body.appendChild(el('pre', { text: json(task.result) }));
      if (task.error) {
        body.appendChild(el('h3', { text: 'error' }));
        body.appendChild(el('pre', { className: 'error', text: task.error }));
      }
      var actions = $('detail-actions');
      clear(actions);
      actionButtons(task, function () { openDetail(task.id); }).forEach(function (b) { actions.appendChild(b); });
      if (!$('detail').open) { $('detail').showModal(); }
    }).catch(function (error) { notify(error.message); });
  }

  /** Asks first; on yes, runs the action and shows the server's problem detail if it fails. */
  function confirmThen(question, action) {
    var dialog = $('confirm');
    $('confirm-text').textContent = question;
    dialog.returnValue = '';
    dialog.addEventListener('close', function onClose() {
      dialog.removeEventListener('close', onClose);
      if (dialog.returnValue === 'ok') {
        action().catch(function (error) { notify(error.message); });
      }
    });
    dialog.showModal();
    $('confirm-ok').focus();
  }

  // ---- updates: the events stream, or polling ----

  function setMode(mode) {
    state.mode = mode;
    var label = { live: 'live', polling: 'polling every 2 s', connecting: 'connecting…' }[mode];
    $('mode').textContent = label;
    $('mode').className = 'mode mode-' + mode;
    document.body.setAttribute('data-mode', mode);
  }

  function onTaskEvent(event) {
    var task;
    try { task = JSON.parse(event.data); } catch (e) { return; }
    observe(task);
    renderRunning();
    if (event.type !== 'progress') {
      renderPercentiles();
      renderChart();
      refreshSoon();
    } else {
      updateRowProgress(task);
    }
  }

  function updateRowProgress(task) {
    document.querySelectorAll('#tasks tr[data-task-id="' + task.id + '"] .bar').forEach(function (bar) {
      setProgress(bar, task.progress || 0);
    });
  }

  function openStream() {
    if (!window.EventSource) { startPolling(); return; }
    clearTimeout(streamRetryTimer);
    var source = new EventSource(config.apiBase + '/events');
    stream = source;
    source.addEventListener('open', function () {
      setMode('live');
      stopPolling();
      // catch up with what happened while the stream was down
      Promise.all([refreshStats(), refreshRunning(), refreshTable()]).then(renderAll).catch(function () {});
    });
    TASK_EVENTS.forEach(function (name) { source.addEventListener(name, onTaskEvent); });
    source.addEventListener('resync', function () {
      // the server skipped events in a burst: read the current state again
      Promise.all([refreshStats(), refreshRunning(), refreshTable()]).then(renderAll).catch(function () {});
    });
    source.addEventListener('stats', function (event) {
      try { state.stats = JSON.parse(event.data); } catch (e) { return; }
      renderStats();
    });
    source.addEventListener('error', function () {
      // the browser would retry by itself after a drop, but not after a refused answer: take over either way
      source.close();
      if (stream === source) { stream = null; }
      startPolling();
      clearTimeout(streamRetryTimer);
      streamRetryTimer = setTimeout(openStream, STREAM_RETRY_MS);
    });
  }

  function refreshStats() {
    return api('GET', '/stats').then(function (stats) { state.stats = stats; });
  }

  function refreshRunning() {
    return api('GET', '?status=STARTED&limit=1000').then(function (page) {
      state.running.clear();
      page.tasks.forEach(observe);
    });
  }

  function refreshEnded() {
    return Promise.all([
      api('GET', '?status=SUCCESS&limit=' + SEED_LIMIT),
      api('GET', '?status=FAILED&limit=' + SEED_LIMIT)
    ]).then(function (pages) { pages.forEach(function (page) { page.tasks.forEach(observe); }); });
  }

  function poll() {
    return Promise.all([refreshStats(), refreshRunning(), refreshEnded(), refreshTable()]).then(renderAll);
  }

  function startPolling() {
    if (state.mode !== 'polling') { setMode('polling'); }
    if (pollTimer) { return; }
    var tick = function () {
      poll().catch(function (error) { notify(error.message); }).then(function () {
        if (pollTimer) { pollTimer = setTimeout(tick, POLL_MS); }
      });
    };
    pollTimer = setTimeout(tick, 0);
  }

  function stopPolling() {
    clearTimeout(pollTimer);
    pollTimer = null;
  }

  // ---- start ----

  function wire() {
    var statusSelect = $('filter-status');
    STATUSES.forEach(function (status) { statusSelect.appendChild(el('option', { value: status, text: status.toLowerCase() })); });
    $('filters').addEventListener('change', filtersChanged);
    $('filters').addEventListener('submit', function (event) { event.preventDefault(); });
    $('page-size').addEventListener('change', function () {
      state.limit = parseInt($('page-size').value, 10);
      state.offset = 0;
      refreshTable().catch(function (error) { notify(error.message); });
    });
    $('page-prev').addEventListener('click', function () {
      state.offset = Math.max(0, state.offset - state.limit);
      refreshTable().catch(function (error) { notify(error.message); });
    });
    $('page-next').addEventListener('click', function () {
      state.offset += state.limit;
      refreshTable().catch(function (error) { notify(error.message); });
    });
    $('bulk-retry').addEventListener('click', function () {
      var category = state.filter.category;
      confirmThen('Retry every failed task' + (category ? ' of category ' + category : '') + '?', function () {
        return api('POST', '/bulk-retry', category ? { category: category } : {}).then(function (result) {
          notify('Retried ' + result.retried + ' of ' + result.totalFailed + ' failed tasks.');
          refreshSoon();
        });
      });
    });
    $('notice-close').addEventListener('click', function () { $('notice').hidden = true; });
    $('detail').addEventListener('click', function (event) {
      if (event.target === $('detail')) { $('detail').close(); }  // a click on the backdrop
    });
  }

  function start() {
    wire();
    fetch('config.json', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) { throw new Error('config.json answered ' + response.status); }
        return response.json();
      })
      .then(function (loaded) {
        config = loaded;
        document.body.classList.toggle('read-only', !!config.readOnly);
        $('read-only').hidden = !config.readOnly;
        return Promise.all([refreshStats(), refreshRunning(), refreshEnded(), refreshTable()]);
      })
      .then(renderAll)
      .catch(function (error) { notify(error.message); })
      .then(function () {
        document.body.setAttribute('data-ready', 'true');
        openStream();
        setInterval(function () { renderCategories(); renderChart(); }, 10000);
      });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
