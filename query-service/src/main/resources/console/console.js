'use strict';
// The console: reads GET /stats (served from a cache at most a second old, so any number of open
// consoles cost the shards one collection a second) and draws the partitions, the shards and the
// flow of events. Everything shown comes from that one answer and the ones before it.
(function () {
  const POLL_MS = 1000;
  const HISTORY = 300; // five minutes of one-second samples
  const STALLED_MS = 10000;
  const TOKEN_KEY = 'shardpipe.console.token';

  const history = [];
  const writers = {}; // shard -> {applied, since}: when its applied offsets last moved
  const moveStart = {}; // move id -> the lag first seen while catching up, for the progress bar
  let previous = null; // {time, end, applied}: the totals of the last answer

  const byId = (id) => document.getElementById(id);
  const number = (n) => (n === null || n === undefined ? '?' : Number(n).toLocaleString('en'));

  function element(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  function showLogin(message) {
    byId('console').hidden = true;
    byId('login').hidden = false;
    byId('login-error').textContent = message || '';
  }

  function showBanner(lines) {
    const banner = byId('banner');
    banner.hidden = lines.length === 0;
    banner.textContent = lines.join(' ');
  }

  async function poll() {
    const headers = { Accept: 'application/json' };
    if (token()) headers.Authorization = 'Bearer ' + token();
    let response;
    try {
      response = await fetch('/stats', { headers, cache: 'no-store' });
    } catch (e) {
      showBanner(['query-service does not answer (' + e.message + '); showing the last answer.']);
      return;
    }
    if (response.status === 401) {
      showLogin(token() ? 'The token was refused.' : '');
      return;
    }
    if (response.status === 403) {
      showLogin('This token may not read the statistics: it needs the read or admin role.');
      return;
    }
    if (!response.ok) {
      showBanner(['GET /stats answered ' + response.status + '; showing the last answer.']);
      return;
    }
    const stats = await response.json();
    byId('login').hidden = true;
    byId('console').hidden = false;
    render(stats, Date.now());
  }

  /** A colour per shard from its name alone, so that a shard keeps its colour as others come. */
  function colours(shards) {
    const colour = {};
    shards.forEach((shard) => {
      let hash = 0;
      for (const ch of shard.name) hash = (Math.imul(hash, 31) + ch.codePointAt(0)) >>> 0;
      colour[shard.name] = 'hsl(' + Math.round((hash * 137.508) % 360) + ' 55% 40%)';
    });
    return colour;
  }

  function render(stats, now) {
    const colour = colours(stats.shards);
    const moves = {};
    stats.moves.forEach((m) => { moves[m.partition] = m; });
    const partitions = [];
    stats.shards.forEach((shard) => {
      shard.partitions.forEach((p) => partitions.push({ shard, p }));
    });
    partitions.sort((a, b) => a.p.partition - b.p.partition);

    const problems = [];
    if (!stats.catalog_answered) {
      problems.push('The catalog does not answer: showing placement version ' + stats.version
        + ', the last one read.');
    }
    if (!stats.kafka_answered) problems.push('Kafka does not answer: no end offsets, no lag.');
    if (stats.missing_shards.length) {
      problems.push('Not answering: ' + stats.missing_shards.join(', ') + '.');
    }
    if (stats.uncounted_shards.length) {
      problems.push('Rows not counted in time: ' + stats.uncounted_shards.join(', ') + '.');
    }
    showBanner(problems);

    byId('summary').textContent = 'placement version ' + stats.version + ' · '
      + partitions.length + ' partitions · ' + stats.shards.length + ' shards · '
      + (stats.moves.length ? stats.moves.length + ' moving' : 'no moves');

    renderGrid(partitions, moves, colour);
    renderShards(stats.shards, colour, now);
    renderFlow(stats, now);
  }

  function renderGrid(partitions, moves, colour) {
    const grid = byId('grid');
    grid.replaceChildren(...partitions.map(({ shard, p }) => {
      const cell = element('div', 'cell' + (shard.answered ? '' : ' down'));
      cell.dataset.partition = p.partition;
      cell.dataset.shard = shard.name;
      cell.style.background = colour[shard.name];
      cell.title = 'partition ' + p.partition + ' on ' + shard.name + ', applied offset '
        + number(p.applied_offset) + ' of ' + number(p.end_offset);
      cell.append(element('div', 'n', 'P' + p.partition + ' · ' + shard.name));
      const rows = p.rows ? p.rows.tweets + p.rows.file_metadata : null;
      cell.append(element('div', 'detail', number(rows) + ' rows · lag ' + number(p.lag)));
      const move = moves[p.partition];
      if (move) {
        cell.dataset.moveState = move.state;
        cell.append(element('div', 'move', move.from + ' → ' + move.to + ' · '
          + move.state.replace('_', ' ')));
        cell.append(progressBar(move, rows));
      }
      return cell;
    }));
  }

  /** Copying: rows copied of the partition's rows; then how much of the target's lag is gone. */
  function progressBar(move, rows) {
    let done;
    if (move.state === 'copying') {
      done = rows ? move.rows_copied / rows : 0;
    } else if (move.lag === null) {
      done = 0;
    } else {
      if (!(move.id in moveStart) || moveStart[move.id] < move.lag) moveStart[move.id] = move.lag;
      done = moveStart[move.id] === 0 ? 1 : 1 - move.lag / moveStart[move.id];
    }
    const bar = element('div', 'bar');
    const fill = element('span');
    fill.style.width = Math.round(Math.max(0, Math.min(1, done)) * 100) + '%';
    bar.append(fill);
    return bar;
  }

  function writerState(shard, now) {
    if (!shard.answered) return 'unknown';
    const applied = shard.partitions.reduce((sum, p) => sum + (p.applied_offset || 0), 0);
    const seen = writers[shard.name];
    if (!seen || seen.applied !== applied) writers[shard.name] = { applied, since: now };
    if (shard.lag === 0) return 'up, caught up';
    if (shard.lag === null) return 'unknown';
    return now - writers[shard.name].since > STALLED_MS ? 'stalled or down' : 'up, applying';
  }

  function ranges(partitions) {
    const numbers = partitions.map((p) => p.partition);
    const parts = [];
    for (let i = 0; i < numbers.length; i++) {
      let j = i;
      while (j + 1 < numbers.length && numbers[j + 1] === numbers[j] + 1) j++;
      parts.push(i === j ? String(numbers[i]) : numbers[i] + '-' + numbers[j]);
      i = j;
    }
    return parts.join(',') || '–';
  }

  function renderShards(shards, colour, now) {
    const body = byId('shards').tBodies[0];
    body.replaceChildren(...shards.map((shard) => {
      const row = element('tr', shard.answered ? '' : 'down');
      row.dataset.shard = shard.name;
      const name = element('td');
      const swatch = element('span', 'swatch');
      swatch.style.background = colour[shard.name];
      name.append(swatch, shard.name);
      const writer = writerState(shard, now);
      row.dataset.writer = writer;
      row.dataset.database = shard.answered ? 'up' : 'down';
      row.append(
        name,
        element('td', '', shard.region || '–'),
        element('td', '', shard.state),
        element('td', '', shard.answered ? 'up' : 'down'),
        element('td', '', ranges(shard.partitions)),
        element('td', 'num', number(shard.rows && shard.rows.tweets)),
        element('td', 'num', number(shard.rows && shard.rows.file_metadata)),
        element('td', 'num', number(shard.lag)),
        element('td', '', writer));
      return row;
    }));
  }

  function renderFlow(stats, now) {
    const end = stats.totals.end_offset;
    const applied = stats.totals.applied_offset;
    if (previous && end !== null && applied !== null && previous.end !== null
        && previous.applied !== null && now > previous.time) {
      const seconds = (now - previous.time) / 1000;
      history.push({
        accepted: Math.max(0, (end - previous.end) / seconds),
        applied: Math.max(0, (applied - previous.applied) / seconds),
      });
      if (history.length > HISTORY) history.shift();
    }
    previous = { time: now, end, applied };
    const latest = history[history.length - 1];
    byId('accepted').textContent = latest ? number(Math.round(latest.accepted)) + ' events/s' : '–';
    byId('applied').textContent = latest ? number(Math.round(latest.applied)) + ' events/s' : '–';
    byId('lag').textContent = number(stats.totals.lag) + ' events';
    byId('dead-letters').textContent = number(stats.dead_letters);
    const top = Math.max(1, ...history.map((h) => Math.max(h.accepted, h.applied)));
    const points = (key) => history.map((h, i) => (HISTORY - history.length + i) + ','
      + (80 - (h[key] / top) * 76).toFixed(1)).join(' ');
    byId('accepted-line').setAttribute('points', points('accepted'));
    byId('applied-line').setAttribute('points', points('applied'));
  }

  byId('login').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, byId('token').value.trim());
    poll();
  });

  poll();
  setInterval(poll, POLL_MS);
})();
