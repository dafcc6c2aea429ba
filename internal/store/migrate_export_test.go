package store

import (
	"io/fs"
	"testing/fstest"
)

// WithMigrationsForTest returns opts with the embedded migrations of the
// dialect plus extra files (name -> SQL), so a test can inject a migration
// that changes data or fails.
func WithMigrationsForTest(opts Options, dialect Dialect, extra map[string]string) (Options, error) {
	sub, err := fs.Sub(migrationsFS, "migrations/"+string(dialect))
	if err != nil {
		return opts, err
	}
	files := fstest.MapFS{}
	entries, err := fs.ReadDir(sub, ".")
	if err != nil {
		return opts, err
	}
	for _, e := range entries {
		data, err := fs.ReadFile(sub, e.Name())
		if err != nil {
			return opts, err
		}
		files[e.Name()] = &fstest.MapFile{Data: data}
	}
	for name, sql := range extra {
		files[name] = &fstest.MapFile{Data: []byte(sql)}
	}
	opts.migrations = files
	return opts, nil
}
