// The widget: a script tag with src="https://HOST/widget.js" and defer adds a
// chat button to any page. It lives in a shadow root, so the host page's
// styles do not reach it, and asks HOST's /v1/ask (CORS:
// CAREERSBOT_ALLOWED_ORIGINS must list the host page's origin).
var me = document.currentScript;
var origin = (me && me.src) ? new URL(me.src, location.href).origin : location.origin;

function startWidget() {
  if (document.getElementById('careersbot-widget')) { return; }
  var host = el('div', { id: 'careersbot-widget' });
  var shadow = host.attachShadow({ mode: 'open' });
  var css = el('link', { rel: 'stylesheet', href: origin + '/assets/chat.css' });
  shadow.appendChild(css);

  var wrap = el('div', { 'class': 'cb-widget' });
  var title = 'Ask about ' + (typeof INTRO.subject === 'string' && INTRO.subject ? INTRO.subject : 'NHS careers');
  var panel = el('div', { 'class': 'cb-panel', id: 'cbw-panel', role: 'dialog', 'aria-label': title });
  panel.hidden = true;
  var head = el('div', { 'class': 'cb-panel-head' });
  head.appendChild(el('h2', { 'class': 'cb-panel-title' }, title));
  var close = el('button', { type: 'button', 'class': 'cb-close', 'aria-label': 'Close the chat' }, '×');
  head.appendChild(close);
  var body = el('div', { 'class': 'cb-panel-body' });
  panel.appendChild(head);
  panel.appendChild(body);
  var launcher = el('button', { type: 'button', 'class': 'cb-launcher', 'aria-expanded': 'false', 'aria-controls': 'cbw-panel' }, 'Ask about careers');
  wrap.appendChild(panel);
  wrap.appendChild(launcher);
  shadow.appendChild(wrap);

  var chat = createChat(body, { endpoint: origin + '/v1/ask', prefix: 'cbw' });

  function open() {
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    chat.input.focus();
  }
  function shut() {
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    launcher.focus();
  }
  launcher.addEventListener('click', function () { if (panel.hidden) { open(); } else { shut(); } });
  close.addEventListener('click', shut);
  panel.addEventListener('keydown', function (ev) { if (ev.key === 'Escape') { shut(); } });
  // Show the button once its stylesheet is in (or failed), so the page
  // never flashes an unstyled one.
  wrap.hidden = true;
  function show() { wrap.hidden = false; }
  css.addEventListener('load', show);
  css.addEventListener('error', show);
  setTimeout(show, 3000);
  document.body.appendChild(host);
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', startWidget);
} else {
  startWidget();
}
