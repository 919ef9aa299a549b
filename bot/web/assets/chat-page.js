// The chat page at /.
var root = document.getElementById('careersbot');
if (root) {
  if (typeof INTRO.subject === 'string' && INTRO.subject) {
    var sub = document.getElementById('cb-subject');
    if (sub) { sub.textContent = 'Questions about ' + INTRO.subject + ', answered from the career pages with a link to each answer\'s page.'; }
  }
  createChat(root, { endpoint: '/v1/ask', prefix: 'cb', page: true }).input.focus();
}
