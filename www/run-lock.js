// One run at a time on the whole page: a browser run and a server run on the same machine (as
// in development, or a laptop demo) would share the cores and both timings would lie. Panels
// disable their run buttons while another run holds the lock.

export class RunLock {
  constructor() {
    this.owner = null;
    this.listeners = [];
    this.waiters = [];
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

  /** Resolves to a release function once the lock is free (the panels' runs and first pictures
   *  finish first); rejects with kind 'cancelled' when `signal` fires meanwhile. */
  whenFree(owner, signal) {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        if (signal?.aborted) return reject({ field: null, message: 'cancelled while waiting for the page to be free', kind: 'cancelled' });
        const release = this.acquire(owner);
        if (release) return resolve(release);
        this.waiters.push(attempt);
      };
      signal?.addEventListener('abort', () => this.notify(), { once: true });
      attempt();
    });
  }

  notify() {
    // Waiters try again in turn; one that cannot take the lock queues itself again.
    const waiters = this.waiters.splice(0);
    for (const w of waiters) w();
    for (const fn of this.listeners) fn();
  }
}
