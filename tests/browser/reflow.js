// What does not reflow, in words a person can act on (tests/browser/test_reflow.py).
() => {
  const root = document.documentElement, width = root.clientWidth, problems = [];
  if (root.scrollWidth > width) {
    problems.push(`the page scrolls sideways: ${root.scrollWidth}px of content in ${width}px`);
  }
  const scroller = (element) => {
    for (let e = element; e && e !== document.body; e = e.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(e).overflowX)) return e;
    }
    return null;
  };
  const hidden = '.visually-hidden, .skip-link, title, desc, option, script, style';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    if (!node.textContent.trim() || parent.closest(hidden) || scroller(parent)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const out = [...range.getClientRects()].find((r) => r.width && (r.left < -1 || r.right > width + 1));
    if (out) problems.push(`text cut off at the edge: "${node.textContent.trim().slice(0, 50)}"`);
  }
  for (const element of document.body.querySelectorAll('*')) {
    const overflow = getComputedStyle(element).overflowX;
    // A form field scrolls its own text: long values in it are not cut off.
    if (element.matches('input, textarea, select')) continue;
    if (['hidden', 'clip'].includes(overflow) && !element.closest(hidden)
        && element.scrollWidth > element.clientWidth + 1) {
      problems.push(`text clipped by its box: <${element.tagName.toLowerCase()} class="${element.className}">`);
    }
  }
  for (const link of document.querySelectorAll('header a, header button, nav.org-nav a')) {
    const box = link.getBoundingClientRect();
    if (box.left < -1 || box.right > width + 1) problems.push(`navigation off screen: ${link.outerHTML}`);
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    if (box.bottom <= innerHeight && !(hit === link || link.contains(hit))) {
      problems.push(`navigation covered: ${link.outerHTML}`);
    }
  }
  return problems;
}
