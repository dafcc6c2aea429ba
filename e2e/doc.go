// Package e2e holds end-to-end tests: they build the real lvxin binary, run
// `lvxin serve` on loopback against SQLite and PostgreSQL, and drive it with
// a real headless Chromium (chromedp) and with the CLI.
package e2e
