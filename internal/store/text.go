package store

import (
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/lvxin/lvxin/internal/model"
)

// ErrInvalidText means a text value holds a NUL character or is not valid
// UTF-8. PostgreSQL cannot store either; SQLite could, but both engines
// refuse them alike (see checkText), so that no data depends on the engine
// and no driver message reaches a user.
var ErrInvalidText = fmt.Errorf("%w：内容含有不允许的字符（空字符 NUL 或无效的 UTF-8 编码），请删除后重试", model.ErrInvalidInput)

// ValidText reports whether s can be stored as text on every engine: valid
// UTF-8 without NUL characters. Input validation may use it to name the
// field; the store checks every argument anyway (checkText).
func ValidText(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// checkText returns ErrInvalidText when a text argument of a statement is
// not ValidText. Every statement of this package passes through it, on both
// engines, before the driver sees the value. Byte slices are binary columns
// and are not checked.
func checkText(args []any) error {
	for _, a := range args {
		var s string
		switch v := a.(type) {
		case string:
			s = v
		case nil, bool, int, int32, int64, float64, []byte, time.Time:
			continue
		case sql.NullString:
			s = v.String
		default:
			rv := reflect.ValueOf(a)
			if rv.Kind() != reflect.String {
				continue
			}
			s = rv.String()
		}
		if !ValidText(s) {
			return ErrInvalidText
		}
	}
	return nil
}

// invalidText maps PostgreSQL's refusals of text (22021: invalid byte
// sequence, such as NUL; 22P05: untranslatable character, such as \u0000
// in JSON) to ErrInvalidText, dropping the driver's message.
func invalidText(err error) error {
	var pgErr *pgconn.PgError
	if err != nil && errors.As(err, &pgErr) && (pgErr.Code == "22021" || pgErr.Code == "22P05") {
		return ErrInvalidText
	}
	return err
}
