// Package deps pins the chosen libraries in go.mod while the packages that
// use them are being written in parallel; it is removed once they all are.
package deps

import (
	_ "filippo.io/age"
	_ "github.com/alexedwards/argon2id"
	_ "github.com/chromedp/chromedp"
	_ "github.com/digitorus/timestamp"
	_ "github.com/emmansun/gmsm/sm3"
	_ "github.com/go-ego/gse"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/longbridgeapp/opencc"
	_ "github.com/pquerna/otp/totp"
	_ "github.com/pressly/goose/v3"
	_ "github.com/prometheus/client_golang/prometheus/promhttp"
	_ "github.com/schollz/progressbar/v3"
	_ "github.com/skip2/go-qrcode"
	_ "github.com/spf13/cobra"
	_ "github.com/transparency-dev/merkle/rfc6962"
	_ "github.com/xuri/excelize/v2"
	_ "golang.org/x/mod/sumdb/note"
	_ "golang.org/x/net/idna"
	_ "golang.org/x/net/publicsuffix"
	_ "golang.org/x/term"
	_ "golang.org/x/text/width"
	_ "modernc.org/sqlite"
)
