package store

import (
	"context"
)

// DefaultTags are the tags every firm starts with (created by the migration;
// they cannot be deleted).
var DefaultTags = []string{"现有客户", "潜在客户", "同行律师"}

// CreateTag adds a firm tag; an existing tag is left as it is.
func (tx *Tx) CreateTag(ctx context.Context, name string) error {
	_, err := tx.c().exec(ctx, "INSERT INTO tags (name, builtin) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", name, false)
	return err
}

// Tag is a firm tag with the number of contacts carrying it.
type Tag struct {
	Name     string
	Builtin  bool
	Contacts int
}

// Tags lists the firm's tags: the defaults first, then by name.
func (db *DB) Tags(ctx context.Context) ([]Tag, error) {
	out, err := queryAll(ctx, db.read(), func(row scanner) (Tag, error) {
		var t Tag
		err := row.Scan(&t.Name, &t.Builtin, &t.Contacts)
		return t, err
	}, `SELECT t.name, t.builtin, (SELECT count(*) FROM contact_tags ct WHERE ct.tag = t.name)
		FROM tags t ORDER BY t.builtin DESC, t.name`)
	if err != nil {
		return nil, err
	}
	// Keep the defaults in their documented order.
	rank := func(name string) int {
		for i, d := range DefaultTags {
			if d == name {
				return i
			}
		}
		return len(DefaultTags)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Builtin && out[j-1].Builtin && rank(out[j].Name) < rank(out[j-1].Name); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, nil
}
