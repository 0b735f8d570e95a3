// The comparison's sharing controls: Download / Copy as JSON and CSV, Import (a file picker,
// and files dropped on the section), and Copy link (www/links.js). What goes wrong is said in
// words under the controls; a bad import changes nothing.
import { el } from '../dom.js';
import { MAX_IMPORT_BYTES, download, exportName, parseImport, sourceLabel, toCsv } from './export.js';

export class ShareView {
  /** `section`: the comparison's section (the drop target); `comparison`: www/compare/session.js;
   *  `links`: www/links.js's LinkState. */
  constructor(section, comparison, links) {
    this.comparison = comparison;
    this.links = links;
    const button = (id, label, fn) => {
      const b = el('button', { type: 'button', className: 'secondary', 'data-testid': id }, label);
      b.addEventListener('click', fn);
      return b;
    };
    this.file = el('input', { type: 'file', accept: '.json,application/json', multiple: true, id: 'import-file', 'data-testid': 'import-file', className: 'visually-hidden' });
    this.file.addEventListener('change', () => { this.importFiles([...this.file.files]); this.file.value = ''; });
    this.message = el('p', { className: 'why', 'data-testid': 'share-status', 'aria-live': 'polite' });
    this.node = el('div', { className: 'io' },
      button('download-json', 'Download JSON', () => download(exportName('json'), this.json(), 'application/json')),
      button('download-csv', 'Download CSV', () => download(exportName('csv'), toCsv(this.comparison.exportResults()), 'text/csv')),
      button('copy-json', 'Copy JSON', () => this.copy(this.json(), 'the results as JSON')),
      button('copy-csv', 'Copy CSV', () => this.copy(toCsv(this.comparison.exportResults()), 'the results as CSV')),
      el('label', { htmlFor: 'import-file', className: 'drop', tabIndex: 0, 'data-testid': 'import-label' }, 'Import JSON… (or drop files here)'),
      this.file,
      button('copy-link', 'Copy link', () => this.copy(this.links.href(), 'a link to this case')),
      this.message);
    // The label opens the picker from the keyboard too.
    this.node.querySelector('label.drop').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); this.file.click(); }
    });
    section.addEventListener('dragover', (e) => { e.preventDefault(); section.classList.add('dragging'); });
    section.addEventListener('dragleave', () => section.classList.remove('dragging'));
    section.addEventListener('drop', (e) => {
      e.preventDefault();
      section.classList.remove('dragging');
      this.importFiles([...(e.dataTransfer?.files ?? [])]);
    });
  }

  json() {
    return JSON.stringify(this.comparison.exportResults(), null, 1);
  }

  say(text, bad = false) {
    this.message.textContent = text;
    this.message.classList.toggle('message', bad);
    this.message.setAttribute('role', bad ? 'alert' : 'status');
  }

  async copy(text, what) {
    try {
      await navigator.clipboard.writeText(text);
      this.say(`Copied ${what} to the clipboard.`);
    } catch {
      // No clipboard permission (an insecure origin, a policy): a selectable copy instead.
      const area = el('textarea', { readOnly: true, rows: 4, className: 'copy-fallback', 'aria-label': `Copy ${what}` });
      area.value = text;
      this.message.replaceChildren(`The clipboard is not available here: select and copy ${what} below.`, area);
      area.select();
    }
  }

  /** Reads every file first; only when all are valid exports are they shown (all or nothing). */
  async importFiles(files) {
    if (!files.length) return;
    const parsed = [];
    for (const f of files) {
      if (f.size > MAX_IMPORT_BYTES) return this.say(`${f.name} is ${(f.size / 1048576).toFixed(1)} MiB: an export is far smaller (at most ${MAX_IMPORT_BYTES / 1048576} MiB are read). Nothing was imported.`, true);
      try {
        parsed.push(parseImport(await f.text(), f.name));
      } catch (e) {
        return this.say(`${e.message}. Nothing was imported.`, true);
      }
    }
    for (const p of parsed) this.comparison.addImport(p, `Imported ${sourceLabel(p)}`);
    this.say(`Imported ${parsed.length} file${parsed.length === 1 ? '' : 's'}: ${parsed.map((p) => `${sourceLabel(p)} (${p.rows.filter((r) => r.kind === 'compare').length} comparisons)`).join('; ')} — shown beside this page's results.`);
  }
}
