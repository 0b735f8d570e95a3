// One run at a time on the whole page: a browser run and a server run on the same machine (as
// in development, or a laptop demo) would share the cores and both timings would lie. Panels
// disable their run buttons while another run holds the lock.

export class RunLock {
  constructor() {
    this.owner = null;
    this.listeners = [];
  }

  get busy() {
    return this.owner !== null;
  }

  /** `fn()` runs whenever the lock is taken or released. */
  subscribe(fn) {
    this.listeners.push(fn);
  }

  /** Takes the lock for `owner` → a release function, or null when it is held. */
  acquire(owner) {
    if (this.owner) return null;
    this.owner = owner;
    this.notify();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.owner = null;
      this.notify();
    };
  }

  notify() {
    for (const fn of this.listeners) fn();
  }
}
