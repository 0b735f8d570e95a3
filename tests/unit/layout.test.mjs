// README's layout table against the tree: every file under `www/` and `crates/*/src/` is named
// in it literally (a row of its folder naming the file in backticks, or a row of the file
// itself), and every file a folder's row names exists. A file added, moved or renamed without
// the table following fails here, so the table stays the map a new maintainer reads first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { ROOT } from '../e2e/harness.mjs';

/** The Layout section's rows: the backticked paths of the first cell, the second cell's text. */
function layoutRows(readme) {
  const start = readme.indexOf('\n## Layout');
  assert.ok(start >= 0, 'README has a "## Layout" section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end).split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [, path, role] = /^\| (.*?) \| (.*) \|$/.exec(line);
      return { paths: [...path.matchAll(/`([^`]+)`/g)].map((m) => m[1]), role };
    });
}

/** The repository's files (tracked, or new and not ignored) under `www/` and `crates/<crate>/src/`. */
function files() {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', 'www', 'crates'], { cwd: ROOT, encoding: 'utf8' });
  return out.split('\n').filter((f) => f && (f.startsWith('www/') || /^crates\/[^/]+\/src\//.test(f)) && existsSync(`${ROOT}/${f}`));
}

const FILE_NAME = /^[\w.-]+\.(js|mjs|rs|py|css|json)$/;

test('every file under www/ and crates/*/src/ is named in README\'s layout table', () => {
  const rows = layoutRows(readFileSync(`${ROOT}/README.md`, 'utf8'));
  const missing = files().filter((file) => !rows.some(({ paths, role }) => paths.includes(file)
    || (paths.includes(`${dirname(file)}/`) && role.includes(`\`${basename(file)}\``))));
  assert.deepEqual(missing, [], `README's layout table does not name: ${missing.join(', ')}`);
});

test('every file a folder\'s row of README\'s layout table names is there', () => {
  const rows = layoutRows(readFileSync(`${ROOT}/README.md`, 'utf8'));
  const stale = [];
  for (const { paths, role } of rows) {
    for (const dir of paths.filter((p) => p.endsWith('/'))) {
      for (const [, name] of role.matchAll(/`([^`]+)`/g)) {
        if (FILE_NAME.test(name) && !existsSync(`${ROOT}/${dir}${name}`)) stale.push(`${dir}${name}`);
      }
    }
    for (const path of paths.filter((p) => !p.endsWith('/') && !p.includes('<'))) {
      if (!existsSync(`${ROOT}/${path}`)) stale.push(path);
    }
  }
  assert.deepEqual(stale, [], `README's layout table names what is not there: ${stale.join(', ')}`);
});
