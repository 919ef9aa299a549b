// careersbot team console: plain JavaScript, no dependencies. Every text
// from questions and pages goes in with textContent, never as HTML.
(function () {
  'use strict';

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach(function (n) { e.setAttribute(n, attrs[n]); }); }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function safeURL(u) {
    if (typeof u !== 'string' || u === '') { return ''; }
    try {
      var p = new URL(u);
      if (p.protocol === 'https:' || p.protocol === 'http:') { return p.href; }
    } catch (e) { /* not a URL */ }
    return '';
  }

  function link(u, text) {
    var href = safeURL(u);
    if (!href) { return el('span', null, u ? text || u : ''); }
    return el('a', { href: href, target: '_blank', rel: 'noopener noreferrer nofollow' }, text || href);
  }

  function when(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime()) || d.getUTCFullYear() < 2000) { return ''; }
    return d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  }

  function get(url) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(function (res) {
      if (res.status === 401) { location.reload(); throw new Error('logged out'); }
      return res.json().then(function (body) {
        if (!res.ok) { throw new Error(body && body.error ? body.error : 'HTTP ' + res.status); }
        return body;
      });
    });
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }

  // Unanswered questions.
  var since = document.getElementById('since');
  var summary = document.getElementById('unanswered-summary');
  var tbody = document.querySelector('#unanswered-table tbody');
  var csv = document.getElementById('csv');

  function adapters(m) {
    return Object.keys(m || {}).sort(function (a, b) { return m[b] - m[a] || (a < b ? -1 : 1); })
      .map(function (k) { return k + ' ' + m[k]; }).join(', ');
  }

  function loadUnanswered() {
    var s = since.value;
    csv.setAttribute('href', '/team/unanswered.csv?since=' + encodeURIComponent(s));
    summary.textContent = 'Loading…';
    get('/team/api/unanswered?since=' + encodeURIComponent(s)).then(function (r) {
      clear(tbody);
      if (!r.recording) {
        summary.textContent = 'Unanswered questions are not being recorded (CAREERSBOT_UNANSWERED_RECORD is off).';
        return;
      }
      var groups = r.groups || [];
      summary.textContent = r.total === 0 ? 'No unanswered questions in this period.' :
        plural(r.total, 'unanswered question', 'unanswered questions') + ' in ' + plural(groups.length, 'group', 'groups') +
        (r.read < r.total ? ' (grouping the most recent ' + r.read + ')' : '') + '.';
      groups.forEach(function (g) {
        var tr = el('tr');
        tr.appendChild(el('td', { 'class': 'tc-count', 'data-label': 'Asked' }, g.count));
        tr.appendChild(el('td', { 'class': 'tc-question', 'data-label': 'Question' }, g.example));
        var others = el('td', { 'data-label': 'Other wordings' });
        var words = (g.wordings || []).slice(1);
        if (words.length) {
          var ul = el('ul', { 'class': 'tc-wordings' });
          words.slice(0, 5).forEach(function (w) { ul.appendChild(el('li', null, w.text + ' (' + w.count + ')')); });
          if (words.length > 5) { ul.appendChild(el('li', null, 'and ' + (words.length - 5) + ' more')); }
          others.appendChild(ul);
        }
        tr.appendChild(others);
        if (!words.length) { others.className = 'tc-empty'; }
        tr.appendChild(el('td', { 'class': 'tc-when', 'data-label': 'Last asked' }, when(g.last)));
        tr.appendChild(el('td', { 'data-label': 'Where' }, adapters(g.adapters)));
        tbody.appendChild(tr);
      });
    }).catch(function (e) { summary.textContent = 'Could not load the unanswered questions: ' + e.message; });
  }

  document.getElementById('since-form').addEventListener('submit', function (ev) { ev.preventDefault(); loadUnanswered(); });
  since.addEventListener('change', loadUnanswered);

  // Knowledge base.
  function fact(dl, name, value) {
    dl.appendChild(el('dt', null, name));
    var dd = el('dd');
    if (value instanceof Node) { dd.appendChild(value); } else { dd.textContent = String(value); }
    dl.appendChild(dd);
  }

  function loadKnowledge() {
    var dl = document.getElementById('kb-status');
    var probs = document.getElementById('kb-problems');
    var docs = document.querySelector('#kb-documents tbody');
    var topics = document.getElementById('kb-topics');
    get('/team/api/kb').then(function (k) {
      clear(dl); clear(probs); clear(docs); clear(topics);
      fact(dl, 'Pages', k.documents.length);
      fact(dl, 'Sections', k.sections);
      fact(dl, 'Sentences', k.sentences);
      fact(dl, 'Topics', k.topics.length);
      var ms = k.load_time_seconds * 1000;
      fact(dl, 'Loaded', when(k.loaded_at) + ' (in ' + (ms < 10 ? ms.toFixed(1) : ms.toFixed(0)) + ' ms)');
      fact(dl, 'Reloads', k.reloads);
      var r = k.last_reload;
      fact(dl, 'Last reload', !r ? 'none since start' :
        when(r.at) + ': ' + (r.ok ? 'succeeded' : 'failed, still serving the previous pages: ' + r.error));
      if (!k.problems.length) { probs.appendChild(el('li', null, 'No problems found.')); }
      k.problems.forEach(function (p) {
        var li = el('li', { 'class': 'tc-' + (p.severity === 'error' ? 'bad' : 'warn') });
        li.appendChild(el('strong', null, p.severity + ': '));
        li.appendChild(document.createTextNode(p.message));
        probs.appendChild(li);
      });
      k.documents.forEach(function (d) {
        var tr = el('tr');
        tr.appendChild(el('td', { 'data-label': 'Title' }, d.title));
        tr.appendChild(el('td', { 'class': 'tc-path', 'data-label': 'File' }, d.path));
        var td = el('td', { 'data-label': 'Public address' });
        td.appendChild(link(d.url));
        if (!d.url) { td.className = 'tc-empty'; }
        tr.appendChild(td);
        tr.appendChild(el('td', { 'class': 'tc-count', 'data-label': 'Sections' }, d.sections));
        docs.appendChild(tr);
      });
      var stack = [topics];
      k.topics.forEach(function (t) {
        var depth = Math.max(0, Math.min(t.depth, stack.length - 1));
        stack.length = depth + 1;
        var li = el('li', null, t.name + ' ');
        li.appendChild(el('span', { 'class': 'tc-muted' }, '(' + plural(t.sentences, 'sentence', 'sentences') + ')'));
        stack[depth].appendChild(li);
        var ul = el('ul');
        li.appendChild(ul);
        stack.push(ul);
      });
    }).catch(function (e) {
      clear(dl);
      fact(dl, 'Error', 'Could not load the knowledge base: ' + e.message);
    });
  }

  // Try a question.
  var tryForm = document.getElementById('try-form');
  var tryInput = document.getElementById('try-question');
  var result = document.getElementById('try-result');

  function showTry(e) {
    clear(result);
    var box = el('div', { 'class': 'tc-answer ' + (e.answered ? 'tc-ok' : 'tc-unknown') });
    box.appendChild(el('p', { 'class': 'tc-answer-text' }, e.answer));
    var dl = el('dl', { 'class': 'tc-facts' });
    fact(dl, 'Answered', e.answered ? 'yes' : 'no (the reply is "I don\'t know")');
    fact(dl, 'Confidence', Number(e.confidence).toFixed(2));
    fact(dl, 'Intent', e.intent || '–');
    fact(dl, 'Topic', e.topic || '–');
    fact(dl, 'Answer type', e.answer_type || '–');
    fact(dl, 'Page', e.document || '–');
    fact(dl, 'Section', e.section || '–');
    (e.sources || []).forEach(function (s) {
      var name = s.document + (s.section ? ' › ' + s.section : '');
      fact(dl, 'Source', s.url ? link(s.url, name) : name);
    });
    if ((e.suggestions || []).length) { fact(dl, 'Suggestions', e.suggestions.join(' | ')); }
    box.appendChild(dl);
    var names = Object.keys(e.features || {}).sort();
    if (names.length) {
      var table = el('table', { 'class': 'tc-features' });
      table.appendChild(el('caption', null, 'Features behind the confidence'));
      var head = el('tr');
      head.appendChild(el('th', { scope: 'col' }, 'Feature'));
      head.appendChild(el('th', { scope: 'col' }, 'Value'));
      table.appendChild(head);
      names.forEach(function (n) {
        var tr = el('tr');
        tr.appendChild(el('th', { scope: 'row' }, n));
        tr.appendChild(el('td', { 'class': 'tc-count' }, Number(e.features[n]).toFixed(3)));
        table.appendChild(tr);
      });
      box.appendChild(table);
    } else {
      box.appendChild(el('p', { 'class': 'tc-muted' }, 'The engine gave no features for this answer.'));
    }
    result.appendChild(box);
  }

  tryForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var q = tryInput.value.trim();
    if (!q) { tryInput.focus(); return; }
    clear(result);
    result.appendChild(el('p', { 'class': 'tc-muted' }, 'Asking…'));
    fetch('/team/api/try', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ question: q })
    }).then(function (res) {
      if (res.status === 401) { location.reload(); throw new Error('logged out'); }
      return res.json().then(function (body) {
        if (!res.ok) { throw new Error(body && body.error ? body.error : 'HTTP ' + res.status); }
        showTry(body);
      });
    }).catch(function (e) {
      clear(result);
      result.appendChild(el('p', { 'class': 'tc-error', role: 'alert' }, 'Could not try the question: ' + e.message));
    });
  });

  loadUnanswered();
  loadKnowledge();
}());
