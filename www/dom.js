// Building the page's elements without a framework (the page is a few panels of forms, a
// table and canvases: not worth a framework's weight or a bundler).

/** A tiny element builder: attributes by property where one exists, else as attributes. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    if (k in node && !k.includes('-')) node[k] = v;
    else if (v === false) continue;
    else node.setAttribute(k, v === true ? '' : v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

/** Whether the visitor asked for less motion (prefers-reduced-motion): no smooth scrolling, no
 *  animation drawn by default. */
export function reducedMotion() {
  return Boolean(window.matchMedia?.('(prefers-reduced-motion: reduce)').matches);
}

/** A section's status line and, under it, its problem box: `say` replaces the status (only when
 *  it changes, so a live region does not repeat itself), `fail` shows a problem in words. */
export class Status {
  constructor(status, problem) {
    this.status = status;
    this.problem = problem;
  }

  say(text) {
    if (this.status.textContent !== text) this.status.textContent = text;
  }

  fail(message) {
    this.say('Failed: see below.');
    this.problem.textContent = message;
    this.problem.hidden = false;
  }
}
