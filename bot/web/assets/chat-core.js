// The chat itself, shared by the page at / and the widget. Every text from
// a question, a page or an answer goes in with textContent, never as HTML,
// and only http(s) source links become links.

var STORE_KEY = 'careersbot:conversation';
var TIMEOUT_MS = 20000;
var memoryKey = '';

// conversationKey is this tab's conversation: kept in sessionStorage so a
// follow-up after a reload keeps its context, in memory where storage is
// refused.
function conversationKey() {
  var k = '';
  try { k = window.sessionStorage.getItem(STORE_KEY) || ''; } catch (e) { k = memoryKey; }
  if (/^[0-9a-f]{32}$/.test(k)) { return k; }
  var bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  k = Array.prototype.map.call(bytes, function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
  memoryKey = k;
  try { window.sessionStorage.setItem(STORE_KEY, k); } catch (e) { /* memory only */ }
  return k;
}

// el makes an element with attributes and text; never HTML.
function el(tag, attrs, text) {
  var e = document.createElement(tag);
  if (attrs) {
    Object.keys(attrs).forEach(function (name) { e.setAttribute(name, attrs[name]); });
  }
  if (text !== undefined && text !== null) { e.textContent = String(text); }
  return e;
}

// safeURL returns u when it is an absolute http or https URL, else ''.
function safeURL(u) {
  if (typeof u !== 'string' || u === '') { return ''; }
  try {
    var parsed = new URL(u);
    if (parsed.protocol === 'https:' || parsed.protocol === 'http:') { return parsed.href; }
  } catch (e) { /* not a URL */ }
  return '';
}

function createChat(root, opts) {
  var prefix = opts.prefix || 'cb';
  var busy = false;
  var last = '';
  var waitTimer = 0;

  var chat = el('div', { 'class': 'cb-chat' });
  var log = el('div', { 'class': 'cb-log', role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation', tabindex: '0' });
  var typing = el('div', { 'class': 'cb-typing', 'aria-hidden': 'true' });
  typing.appendChild(el('span', { 'class': 'cb-dot' }));
  typing.appendChild(el('span', { 'class': 'cb-dot' }));
  typing.appendChild(el('span', { 'class': 'cb-dot' }));
  typing.appendChild(el('span', { 'class': 'cb-typing-text' }, 'careersbot is typing…'));
  typing.hidden = true;
  var status = el('p', { 'class': 'cb-sr', role: 'status' });
  var error = el('div', { 'class': 'cb-error', role: 'alert' });
  var errorText = el('p', { 'class': 'cb-error-text' });
  var retry = el('button', { type: 'button', 'class': 'cb-retry' }, 'Try again');
  error.appendChild(errorText);
  error.appendChild(retry);
  error.hidden = true;

  var form = el('form', { 'class': 'cb-form' });
  var inputID = prefix + '-question';
  form.appendChild(el('label', { 'for': inputID, 'class': 'cb-label' }, 'Your question'));
  var row = el('div', { 'class': 'cb-row' });
  var input = el('input', {
    id: inputID, name: 'question', type: 'text', maxlength: '2000', autocomplete: 'off',
    enterkeyhint: 'send', placeholder: 'For example: where do genetics staff work?'
  });
  var send = el('button', { type: 'submit', 'class': 'cb-send' }, 'Send');
  row.appendChild(input);
  row.appendChild(send);
  form.appendChild(row);

  chat.appendChild(log);
  chat.appendChild(typing);
  chat.appendChild(status);
  chat.appendChild(error);
  chat.appendChild(form);
  root.appendChild(chat);

  // scroll shows the newest message: the log scrolls in the widget, the
  // page scrolls on the chat page.
  function scroll() {
    log.scrollTop = log.scrollHeight;
    if (opts.page) { window.scrollTo(0, document.documentElement.scrollHeight); }
  }

  function suggestions(list, label) {
    var box = el('div', { 'class': 'cb-suggestions', role: 'group', 'aria-label': label });
    box.appendChild(el('p', { 'class': 'cb-suggest-label' }, label + ':'));
    list.forEach(function (q) {
      if (typeof q !== 'string' || q === '') { return; }
      var b = el('button', { type: 'button', 'class': 'cb-suggestion' }, q);
      b.addEventListener('click', function () { ask(q); });
      box.appendChild(b);
    });
    return box;
  }

  function welcome() {
    var m = el('div', { 'class': 'cb-msg cb-bot cb-welcome' });
    m.appendChild(el('span', { 'class': 'cb-sr' }, 'careersbot said: '));
    var subject = typeof INTRO.subject === 'string' && INTRO.subject ? INTRO.subject : 'NHS careers';
    m.appendChild(el('p', { 'class': 'cb-text' }, 'Hello! Ask me about ' + subject + '. I answer from the career pages and show where each answer comes from.'));
    if (Array.isArray(INTRO.examples) && INTRO.examples.length) {
      m.appendChild(suggestions(INTRO.examples.slice(0, 4), 'Try asking'));
    }
    log.appendChild(m);
  }

  function said(text) {
    var m = el('div', { 'class': 'cb-msg cb-user' });
    m.appendChild(el('span', { 'class': 'cb-sr' }, 'You said: '));
    m.appendChild(el('p', { 'class': 'cb-text' }, text));
    log.appendChild(m);
    scroll();
  }

  function answered(r) {
    var m = el('div', { 'class': 'cb-msg cb-bot' + (r.answered ? '' : ' cb-unknown') });
    m.appendChild(el('span', { 'class': 'cb-sr' }, 'careersbot said: '));
    m.appendChild(el('p', { 'class': 'cb-text' }, r.answer || "Sorry, I don't know."));
    var sources = Array.isArray(r.sources) ? r.sources : [];
    if (r.answered && sources.length) {
      var p = el('p', { 'class': 'cb-source' }, 'Source: ');
      sources.slice(0, 3).forEach(function (s, i) {
        if (!s || typeof s !== 'object') { return; }
        if (i > 0) { p.appendChild(document.createTextNode('; ')); }
        var name = String(s.document || '') + (s.section ? ' › ' + s.section : '');
        var href = safeURL(s.url);
        if (href) {
          var a = el('a', { href: href, target: '_blank', rel: 'noopener noreferrer nofollow', 'class': 'cb-source-link' }, name);
          p.appendChild(a);
        } else {
          p.appendChild(el('span', { 'class': 'cb-source-name' }, name));
        }
      });
      m.appendChild(p);
    }
    var sugg = Array.isArray(r.suggestions) ? r.suggestions : [];
    if (sugg.length) {
      m.appendChild(suggestions(sugg.slice(0, 4), r.answered ? 'You could also ask' : 'Did you mean'));
    }
    log.appendChild(m);
    scroll();
  }

  function showError(text, waitSeconds) {
    errorText.textContent = text;
    error.hidden = false;
    retry.disabled = false;
    if (waitSeconds > 0) {
      retry.disabled = true;
      send.disabled = true;
      clearTimeout(waitTimer);
      waitTimer = setTimeout(function () { retry.disabled = false; send.disabled = false; }, waitSeconds * 1000);
    }
  }

  function clearError() {
    error.hidden = true;
    errorText.textContent = '';
  }

  function waiting(on) {
    busy = on;
    typing.hidden = !on;
    status.textContent = on ? 'careersbot is typing…' : '';
    if (on) { scroll(); }
  }

  function ask(text, again) {
    text = String(text || '').trim();
    if (busy || text === '' || send.disabled) { input.focus(); return; }
    clearError();
    last = text;
    if (!again) { said(text); }
    input.value = '';
    input.focus();
    waiting(true);
    var ctl = typeof AbortController === 'function' ? new AbortController() : null;
    var timer = setTimeout(function () { if (ctl) { ctl.abort(); } }, TIMEOUT_MS);
    fetch(opts.endpoint, {
      method: 'POST',
      mode: 'cors',
      credentials: 'omit',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ question: text, conversation: conversationKey() }),
      signal: ctl ? ctl.signal : undefined
    }).then(function (res) {
      if (res.status === 429) {
        var secs = parseInt(res.headers.get('Retry-After') || '', 10);
        if (!(secs > 0 && secs < 3600)) { secs = 5; }
        showError('You are asking faster than careersbot can answer. Please wait ' + secs +
          (secs === 1 ? ' second' : ' seconds') + ' and try again.', secs);
        return null;
      }
      // A proxy in the way may answer with HTML: read JSON if it is.
      return res.json().catch(function () { return null; }).then(function (body) {
        if (!res.ok || !body || typeof body !== 'object') {
          var why = body && typeof body.error === 'string' ? body.error : 'HTTP ' + res.status;
          showError(res.status >= 500 || res.ok ? 'Something went wrong on the server. Please try again in a moment.' : 'careersbot could not take that question: ' + why, 0);
          return null;
        }
        answered(body);
        return null;
      });
    }).catch(function () {
      showError("careersbot can't be reached right now. Check your connection and try again.", 0);
    }).then(function () {
      clearTimeout(timer);
      waiting(false);
    });
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    ask(input.value);
  });
  retry.addEventListener('click', function () { ask(last, true); });

  welcome();
  return { input: input, ask: ask };
}
