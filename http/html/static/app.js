// Casefile's only script, and every page works without it. On a testimony page, selecting words
// in the narrative fills the passage form with them and with which occurrence they are, so a
// documenter marks a passage by selecting it instead of retyping it.
(function () {
  "use strict";
  function occurrence(text, quote, offset) {
    var n = 0, i = -1;
    while ((i = text.indexOf(quote, i + 1)) !== -1 && i <= offset) { n++; }
    return Math.max(n, 1);
  }
  function offsetIn(root, node, off) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, null), pos = 0, n;
    while ((n = walker.nextNode())) {
      if (n === node) { return pos + off; }
      pos += n.nodeValue.length;
    }
    return -1;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var narrative = document.getElementById("narrative");
    var quote = document.getElementById("quote");
    var occ = document.getElementById("occurrence");
    if (!narrative || !quote || !occ) { return; }
    narrative.addEventListener("mouseup", function () {
      var sel = window.getSelection();
      if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return; }
      var range = sel.getRangeAt(0);
      if (!narrative.contains(range.commonAncestorContainer)) { return; }
      var text = sel.toString();
      if (!text) { return; }
      var start = offsetIn(narrative, range.startContainer, range.startOffset);
      quote.value = text;
      occ.value = String(occurrence(narrative.textContent, text, start));
    });
  });
})();
