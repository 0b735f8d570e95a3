// ESLint over the page (www/) and the tests (tests/): run from the repo root as
// `tests/node_modules/.bin/eslint --config tests/eslint.config.mjs` (cargo xtask test does).
// The recommended rules catch what plain ES modules let slip: undefined names, unused variables
// and imports, unreachable code, duplicate keys. The globals differ by where a file runs.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['**/node_modules/**', 'dist/**', 'target/**', 'crates/**'] },
  js.configs.recommended,
  {
    files: ['www/**/*.js'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.browser, ...globals.worker } },
  },
  {
    files: ['tests/**/*.mjs'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.node, ...globals.browser } },
  },
  {
    // The minimal engine cases: plain scripts for any page or JS shell (`print` is the shells').
    files: ['tests/bench/engine-cases/*.js'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'script', globals: { ...globals.browser, print: 'readonly' } },
  },
  {
    // `_name` marks a value taken apart and dropped on purpose.
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }] },
  },
];
