package store

import (
	"context"
	"unicode/utf8"
)

// KnownNames returns the names the firm knows to be personal data: every
// contact of the client book (and the organisation it belongs to) and
// every party of every matter. The post check treats them as the strongest
// signal. One-character names are left out: they would match everywhere.
func (db *DB) KnownNames(ctx context.Context) (persons, orgs []string, err error) {
	rows, err := db.read().query(ctx, `SELECT name, kind FROM contacts
		UNION SELECT organization, 'org' FROM contacts WHERE organization <> ''
		UNION SELECT name, kind FROM matter_parties`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var name, kind string
		if err := rows.Scan(&name, &kind); err != nil {
			return nil, nil, err
		}
		if utf8.RuneCountInString(name) < 2 {
			continue
		}
		if kind == "org" {
			orgs = append(orgs, name)
		} else {
			persons = append(persons, name)
		}
	}
	return persons, orgs, rows.Err()
}
