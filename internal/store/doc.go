// Package store owns all SQL of lvxin, for SQLite (modernc.org/sqlite, the
// default, embedded) and PostgreSQL (pgx). One file per entity group;
// migrations are embedded goose files under migrations/<dialect>. Dialect
// differences stay inside this package: queries are written with '?'
// placeholders and rebound for PostgreSQL in one place.
package store
