// Vigil status page: reads the same REST API as the CLI (docs/api.md) and stays current through
// the Server-Sent Events stream. Plain JavaScript, no build step, nothing loaded from elsewhere.
// All text from the API goes into the page through textContent, never as HTML.
'use strict';

(() => {
  const TOKEN_KEY = 'vigil.token';
  const MAX_EVENTS = 50;
  const REFRESH_DEBOUNCE_MS = 250;
  const RECONNECT_MS = 3000;

  let token = sessionStorage.getItem(TOKEN_KEY);
  let tokenPrompt = null; // the pending prompt, shared by concurrent 401s
  let refreshTimer = null;
  let source = null;
  let events = [];
  let fetchedAt = 0; // performance.now() of the last services fetch, for ticking uptimes

  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === 'class') node.className = value;
      else if (key.startsWith('data-')) node.setAttribute(key, value);
      else node[key] = value;
    }
    for (const child of children) {
      if (child !== null && child !== undefined) {
        node.append(child instanceof Node ? child : String(child));
      }
    }
    return node;
  }

  // ---- talking to the API ----------------------------------------------------------------

  /** fetch with the token; on 401 asks for the token once and tries again. */
  async function api(path, options = {}) {
    for (let attempt = 0; ; attempt++) {
      const headers = Object.assign({ Accept: 'application/json' }, options.headers || {});
      if (token) headers.Authorization = 'Bearer ' + token;
      const response = await fetch(path, Object.assign({}, options, { headers }));
      if (response.status !== 401 || attempt > 0) return response;
      if (!(await askForToken())) return response;
    }
  }

  async function problemText(response) {
    try {
      const body = await response.json();
      return body.detail || body.title || ('HTTP ' + response.status);
    } catch (e) {
      return 'HTTP ' + response.status;
    }
  }

  function askForToken() {
    if (tokenPrompt) return tokenPrompt;
    const dialog = $('token-dialog');
    const input = $('token-input');
    tokenPrompt = new Promise((resolve) => {
      const finish = (ok) => {
        $('token-ok').onclick = null;
        $('token-cancel').onclick = null;
        input.onkeydown = null;
        dialog.close();
        tokenPrompt = null;
        if (ok && input.value.trim()) {
          token = input.value.trim();
          sessionStorage.setItem(TOKEN_KEY, token);
          input.value = '';
          resolve(true);
          connect(); // the stream needs the token too
        } else {
          resolve(false);
        }
      };
      $('token-ok').onclick = () => finish(true);
      $('token-cancel').onclick = () => finish(false);
      input.onkeydown = (e) => { if (e.key === 'Enter') finish(true); };
      dialog.showModal();
      input.focus();
    });
    return tokenPrompt;
  }

  // ---- services --------------------------------------------------------------------------

  async function loadServices() {
    try {
      const response = await api('v1/services');
      if (!response.ok) throw new Error(await problemText(response));
      const body = await response.json();
      fetchedAt = performance.now();
      renderServices(body.services);
    } catch (e) {
      setConnection('error', 'cannot reach Vigil: ' + e.message);
    }
  }

  function scheduleRefresh() {
    // Many transitions arrive in bursts (a rolling restart); one fetch covers them all.
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(loadServices, REFRESH_DEBOUNCE_MS);
  }

  function renderServices(services) {
    let ready = 0;
    let desired = 0;
    let failed = 0;
    for (const s of services) {
      ready += s.ready;
      desired += s.desired;
      failed += s.failed;
    }
    $('count-services').textContent = services.length;
    $('count-ready').textContent = ready;
    $('count-desired').textContent = desired;
    $('count-failed').textContent = failed;
    $('failed-stat').classList.toggle('bad', failed > 0);

    const container = $('services');
    container.replaceChildren(...services.map(renderService));
    if (services.length === 0) {
      container.append(el('p', { class: 'empty-services' }, 'No services configured.'));
    }
  }

  function renderService(s) {
    const counts = el('span', { class: 'counts' }, `${s.ready}/${s.desired} ready`);
    if (s.failed > 0) counts.append(' · ', el('span', { class: 'bad' }, `${s.failed} failed`));
    const head = el('div', { class: 'service-head' },
      el('h2', {}, s.name), counts,
      actionButton('Restart', `v1/services/${s.name}/restart`, `rolling restart of ${s.name}`),
      actionButton('Stop', `v1/services/${s.name}/stop`, `stop of ${s.name}`,
        `Stop every instance of ${s.name}? They stay down until started.`, 'danger'),
      actionButton('Start', `v1/services/${s.name}/start`, `start of ${s.name}`));
    // The load balancer column only for a service that has one.
    const balanced = s.instances.some((i) => i.loadBalancer);
    const columns = ['id', 'state', 'ready'].concat(balanced ? ['load balancer'] : [],
      ['pid', 'port', 'restarts', 'last exit', 'uptime', '']);
    const table = el('table', {},
      el('thead', {}, el('tr', {}, ...columns.map((c) => el('th', {}, c)))),
      el('tbody', {}, ...s.instances.map((i) => renderInstance(i, balanced))));
    return el('section', { class: 'service', 'data-service': s.name }, head, table);
  }

  function renderInstance(i, balanced) {
    const uptime = el('td', { class: 'uptime num' }, formatUptime(i.uptimeSeconds));
    if (i.uptimeSeconds !== null) uptime.dataset.base = i.uptimeSeconds;
    return el('tr', { 'data-instance': `${i.service}/${i.id}` },
      el('td', { class: 'id num' }, i.id),
      el('td', { class: 'state' }, el('span', { class: 'badge state-' + i.state }, i.state)),
      el('td', { class: 'ready' }, i.ready ? 'yes' : 'no'),
      balanced ? renderRotation(i.loadBalancer) : null,
      el('td', { class: 'pid num' }, i.pid ?? '–'),
      el('td', { class: 'port num' }, i.port ?? '–'),
      el('td', { class: 'restarts num' }, i.restarts),
      el('td', { class: 'exit' }, i.lastExit ? i.lastExit.description : '–'),
      uptime,
      el('td', {}, actionButton('Restart', `v1/services/${i.service}/instances/${i.id}/restart`,
        `restart of ${i.service}/${i.id}`)));
  }

  /** The load balancer's view: a badge, and what it depends on (until when, weight, drain). */
  function renderRotation(lb) {
    const cell = el('td', { class: 'lb' });
    if (!lb) return cell;
    cell.dataset.status = lb.status;
    cell.append(el('span', { class: 'badge state-' + lb.status }, lb.status));
    let detail = '';
    if (lb.status === 'EJECTED') {
      detail = 'until ' + new Date(lb.ejectedUntil).toLocaleTimeString();
    }
    if (lb.status === 'SLOW_START') detail = Math.round(lb.weight * 100) + ' %';
    if (lb.status === 'DRAINING') detail = lb.inFlight + ' in flight';
    if (detail) cell.append(' ', el('small', {}, detail));
    cell.title = `in flight ${lb.inFlight}, ejected ${lb.timesEjected} in a row, consecutive`
      + ` 5xx ${lb.consecutive5xx}, local failures ${lb.consecutiveLocalFailures}`;
    return cell;
  }

  function actionButton(label, path, what, confirmText, cls) {
    const button = el('button', { type: 'button', class: cls || '' }, label);
    button.onclick = async () => {
      if (confirmText && !window.confirm(confirmText)) return;
      button.disabled = true;
      try {
        const response = await api(path, { method: 'POST' });
        if (response.ok) showMessage(`${what}: accepted`);
        else showMessage(`${what}: ${await problemText(response)}`, true);
      } catch (e) {
        showMessage(`${what}: ${e.message}`, true);
      } finally {
        button.disabled = false;
        scheduleRefresh();
      }
    };
    return button;
  }

  function formatUptime(seconds) {
    if (seconds === null || seconds === undefined) return '–';
    let s = Math.floor(seconds);
    const d = Math.floor(s / 86400); s -= d * 86400;
    const h = Math.floor(s / 3600); s -= h * 3600;
    const m = Math.floor(s / 60); s -= m * 60;
    if (d > 0) return `${d}d ${h}h`;
    if (h > 0) return `${h}h ${m}m`;
    if (m > 0) return `${m}m ${s}s`;
    return `${s}s`;
  }

  function tickUptimes() {
    const elapsed = (performance.now() - fetchedAt) / 1000;
    for (const cell of document.querySelectorAll('td.uptime[data-base]')) {
      cell.textContent = formatUptime(Number(cell.dataset.base) + elapsed);
    }
  }

  // ---- events ----------------------------------------------------------------------------

  async function loadEvents() {
    try {
      const response = await api(`v1/events?limit=${MAX_EVENTS}`);
      if (!response.ok) return; // the list stays empty; the stream may still work
      const body = await response.json();
      // The API gives oldest first; the page shows newest first.
      const seen = new Set(events.map(key));
      events = body.events.reverse().filter((e) => !seen.has(key(e))).concat(events);
      events.sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
      events = events.slice(0, MAX_EVENTS);
      renderEvents();
    } catch (e) {
      // Shown by the services fetch and the connection badge.
    }
  }

  function key(e) {
    return `${e.time}|${e.kind}|${e.service}|${e.instance}|${e.from}|${e.to}`;
  }

  function addEvent(e) {
    events.unshift(e);
    events = events.slice(0, MAX_EVENTS);
    renderEvents();
  }

  function renderEvents() {
    const list = $('events');
    // A rotation change (load balancer) is marked "lb", so EJECTED never reads as a state.
    list.replaceChildren(...events.map((e) => el('li',
      { 'data-to': e.to, 'data-kind': e.kind || 'transition',
        'data-instance': `${e.service}/${e.instance}` },
      el('time', { dateTime: e.time, title: e.time }, new Date(e.time).toLocaleTimeString()),
      el('b', {}, `${e.service}/${e.instance}`), ' ',
      e.kind === 'rotation' ? el('span', { class: 'kind' }, 'lb ') : null,
      el('span', { class: 'badge state-' + e.from }, e.from), ' → ',
      el('span', { class: 'badge state-' + e.to }, e.to),
      el('span', { class: 'reason' }, e.reason + (e.pid ? ` (pid ${e.pid})` : '')))));
    if (events.length === 0) list.append(el('li', { class: 'empty' }, 'No events yet.'));
  }

  // ---- live stream -----------------------------------------------------------------------

  function connect() {
    if (source) source.close();
    // EventSource cannot send headers; the stream also takes the token as ?access_token=.
    const url = 'v1/events/stream' + (token ? '?access_token=' + encodeURIComponent(token) : '');
    source = new EventSource(url);
    source.onopen = () => {
      setConnection('live', 'live');
      loadServices(); // catch up on whatever happened while disconnected
      loadEvents();
    };
    const onEvent = (message) => {
      addEvent(JSON.parse(message.data));
      scheduleRefresh();
    };
    source.addEventListener('transition', onEvent);
    source.addEventListener('rotation', onEvent);
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        // Refused (401, too many streams) or gone: find out why, then try again.
        setConnection('error', 'disconnected; retrying');
        setTimeout(recheck, RECONNECT_MS);
      } else {
        setConnection('connecting', 'reconnecting…');
      }
    };
  }

  async function recheck() {
    try {
      const response = await api('v1/events?limit=1');
      if (response.status === 401) return; // the user cancelled the token prompt
    } catch (e) {
      // still down: try the stream anyway, it reports through onerror again
    }
    connect();
  }

  function setConnection(state, text) {
    const badge = $('connection');
    badge.dataset.state = state;
    badge.textContent = text;
  }

  function showMessage(text, bad) {
    const message = $('message');
    message.textContent = text;
    message.classList.toggle('bad', !!bad);
    message.hidden = false;
    clearTimeout(showMessage.timer);
    showMessage.timer = setTimeout(() => { message.hidden = true; }, 6000);
  }

  async function loadVersion() {
    try {
      const response = await fetch('v1/version');
      if (response.ok) $('version').textContent = 'vigil ' + (await response.json()).version;
    } catch (e) {
      // cosmetic only
    }
  }

  loadServices();
  loadEvents();
  loadVersion();
  renderEvents();
  connect();
  setInterval(tickUptimes, 1000);
})();
